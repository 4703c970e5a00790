#pragma once
// The size of a block on the canvas and where its ports sit. Shared by the block item and the
// auto-layout, so that laid-out blocks never overlap.

#include "engine/graph/Block.h"

#include <QPointF>
#include <QSizeF>

#include <string>
#include <vector>

namespace netdraft::editor::geometry {

inline constexpr double kGrid = 10; ///< blocks snap to this grid
inline constexpr double kBlockWidth = 170;
inline constexpr double kHeaderHeight = 30; ///< coloured band with the display name
inline constexpr double kLineHeight = 18; ///< one key parameter or the output shape
inline constexpr double kBodyPadding = 8;
inline constexpr double kPortRadius = 5.5;

/// Makes the ports of composite type `name` known to the functions below. Composite definitions live in
/// a document; this process-wide table lets geometry stay a function of the block alone (two open
/// documents with different definitions of one name would share the last one published).
void setCompositePorts(const std::string& name, std::vector<std::string> inputs, std::vector<std::string> outputs,
    std::string summary = {});
/// What a composite type holds, for its blocks on the canvas ("Conv2d → ReLU"); empty for layer types.
std::string compositeSummary(const std::string& type);

/// Whether `type` is a composite published by setCompositePorts().
bool isCompositeType(const std::string& type);

/// Parameters printed on the block (ParamSpec::shownOnBlock), in description order.
std::vector<std::string> shownParameters(const engine::Block& block);
/// Width × height, the height a multiple of the grid.
QSizeF blockSize(const engine::Block& block);
/// Input port names of the block in order (from its layer description).
std::vector<std::string> inputPorts(const engine::Block& block);
std::vector<std::string> outputPorts(const engine::Block& block);
/// Port centre relative to the block's top-left.
QPointF inputPortPosition(const engine::Block& block, size_t index);
QPointF outputPortPosition(const engine::Block& block, size_t index);

/// `value` rounded to the nearest grid line.
inline double snapToGrid(double value)
{
    return kGrid * static_cast<double>(static_cast<long long>(value / kGrid + (value < 0 ? -0.5 : 0.5)));
}

} // namespace netdraft::editor::geometry
