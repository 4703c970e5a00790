#pragma once
// The clipboard's JSON for a group of blocks and the connections among them. The project file
// format (engine/io/ProjectFormat.h) has no fragment serializer, so this small one lives here.

#include "engine/graph/Graph.h"

#include <QByteArray>

#include <string>
#include <vector>

namespace netdraft::editor {

/// Blocks with the connections whose both ends are among them.
struct BlockFragment {
    std::vector<engine::Block> blocks;
    std::vector<engine::Connection> connections;
};

/// Version written into the clipboard JSON; newer versions are refused.
inline constexpr int kClipboardFormatVersion = 1;

/// The blocks `ids` of `graph` (in graph order) and the connections among them.
BlockFragment copyFragment(const engine::Graph& graph, const std::vector<std::string>& ids);

/// {"format": "netdraft-blocks", "version": 1, "blocks": [...], "connections": [...]}; parameters keep
/// their JSON kinds (auto is null, tuples and lists are arrays).
QByteArray encodeFragment(const BlockFragment& fragment);

/// Parses clipboard JSON; throws engine::Error naming the offending place ("blocks[2].params.stride").
/// Numbers are read back as the kind the layer's ParamSpec declares.
BlockFragment decodeFragment(const QByteArray& json);

} // namespace netdraft::editor
