#pragma once
// The size of a block on the canvas and where its ports sit. Shared by the block item and the
// auto-layout, so that laid-out blocks never overlap.

#include "engine/graph/Graph.h"

#include <QFont>
#include <QPointF>
#include <QSizeF>

#include <string>
#include <vector>

namespace netdraft::editor::geometry {

inline constexpr double kGrid = 10; ///< blocks snap to this grid
inline constexpr double kBlockWidth = 170; ///< the narrowest block; a long title widens it
inline constexpr double kMaxBlockWidth = 300; ///< beyond this a title is elided (the tooltip has it whole)
inline constexpr double kHeaderMargin = 10; ///< left and right of the header's texts
inline constexpr double kTitleGap = 8; ///< between the title and the type name right of it
inline constexpr double kLockAllowance = 14; ///< the padlock of a frozen block and its gap
inline constexpr double kHeaderHeight = 30; ///< coloured band with the display name
inline constexpr double kLineHeight = 18; ///< one key parameter or the output shape
inline constexpr double kBodyPadding = 8;
inline constexpr double kPortRadius = 5.5;

// Composite instances take their ports and summary from the definitions of `definitions`: the graph
// being drawn (a document's graph, which carries the project's definitions also inside a composite).
// Each document has its own, so two open projects may define one name differently.

/// What a composite type holds, for its blocks on the canvas ("Conv2d → ReLU"); empty for layer types.
std::string compositeSummary(const std::string& type, const engine::Graph& definitions);

/// Whether `type` is a composite defined in `definitions` (and not a layer type).
bool isCompositeType(const std::string& type, const engine::Graph& definitions);

/// The header's fonts: the display name (bold) and, right of it, the type when it differs.
QFont titleFont();
QFont typeFont();
/// The key parameter lines' font ("out_channels 32"), the block's secondary text: 8 pt.
QFont parameterLineFont();
/// The parameter count across the card's bottom edge ("1.31 M params"): as large as the parameter lines.
QFont parameterCountFont();
/// The width the header needs to show the block's display name and type unelided.
double headerWidth(const engine::Block& block);

/// Parameters printed on the block (ParamSpec::shownOnBlock), in description order.
std::vector<std::string> shownParameters(const engine::Block& block);
/// Width × height: the width fits the header (kBlockWidth to kMaxBlockWidth, on the grid), the height a
/// multiple of the grid.
QSizeF blockSize(const engine::Block& block, const engine::Graph& definitions);
/// Input port names of the block in order (from its layer description or composite definition).
std::vector<std::string> inputPorts(const engine::Block& block, const engine::Graph& definitions);
std::vector<std::string> outputPorts(const engine::Block& block, const engine::Graph& definitions);
/// Port centre relative to the block's top-left.
QPointF inputPortPosition(const engine::Block& block, size_t index, const engine::Graph& definitions);
QPointF outputPortPosition(const engine::Block& block, size_t index, const engine::Graph& definitions);

/// `value` rounded to the nearest grid line.
inline double snapToGrid(double value)
{
    return kGrid * static_cast<double>(static_cast<long long>(value / kGrid + (value < 0 ? -0.5 : 0.5)));
}

} // namespace netdraft::editor::geometry
