#pragma once
// The clipboard's JSON for a group of blocks and the connections among them. The project file
// format (engine/io/ProjectFormat.h) has no fragment serializer, so this small one lives here.

#include "engine/graph/Graph.h"

#include <QByteArray>

#include <string>
#include <vector>

namespace netdraft::editor {

/// Blocks with the connections whose both ends are among them, and the composite definitions the
/// blocks use (nested ones too), so that they paste into a project that lacks them.
struct BlockFragment {
    std::vector<engine::Block> blocks;
    std::vector<engine::Connection> connections;
    std::vector<engine::CompositeDefinition> composites; ///< used definitions first
};

/// Version written into the clipboard JSON; newer versions are refused.
inline constexpr int kClipboardFormatVersion = 1;

/// The blocks `ids` of `graph` (in graph order), the connections among them and the definitions they use.
BlockFragment copyFragment(const engine::Graph& graph, const std::vector<std::string>& ids);

/// {"format": "netdraft-blocks", "version": 1, "blocks": [...], "connections": [...], "composites": [...]};
/// parameters keep their JSON kinds (auto is null, tuples and lists are arrays). "composites" (only
/// when there are some) is written as in a project file's "graph.composites".
QByteArray encodeFragment(const BlockFragment& fragment);

/// Whether two definitions are equal as a project file writes them (parameters in canonical form:
/// padding 1 and [1, 1] are the same).
bool sameComposite(const engine::CompositeDefinition& a, const engine::CompositeDefinition& b);

/// Parses clipboard JSON; throws engine::Error naming the offending place ("blocks[2].params.stride").
/// Numbers are read back as the kind the layer's ParamSpec declares. A block's type must be a layer
/// type, a carried composite, or a composite of `receiving` (clipboards written before definitions
/// were carried).
BlockFragment decodeFragment(const QByteArray& json, const engine::Graph& receiving = engine::Graph());

} // namespace netdraft::editor
