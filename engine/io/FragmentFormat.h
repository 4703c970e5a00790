#pragma once
// A piece of a graph as JSON, for the clipboard: blocks, the connections among them and the composite
// definitions they use, written and read by the project format's own graph writer and reader, so a
// fragment is checked exactly like a project file. Free of nlohmann (Qt code includes it).

#include "engine/graph/Graph.h"

#include <string>
#include <string_view>
#include <vector>

namespace netdraft::engine {

/// Blocks with the connections whose both ends are among them, and the composite definitions the
/// blocks use (nested ones too), so that they paste into a project that lacks them.
struct GraphFragment {
    std::vector<Block> blocks;
    std::vector<Connection> connections;
    std::vector<CompositeDefinition> composites; ///< used definitions first
};

/// The version serializeFragment() writes. Version 1 (written until 0.x) stored "auto" as null.
inline constexpr int kFragmentFormatVersion = 2;

/// {"format": "netdraft-blocks", "version": 2, "blocks": [...], "connections": [...], "composites": [...]}
/// with blocks, connections and composites as a project file's "graph" writes them ("composites" only
/// when there are some). Compact, one line.
std::string serializeFragment(const GraphFragment& fragment);

/// Reads a fragment; throws Error starting "<sourceName>: " and naming the place ("blocks[2].params")
/// of every problem. A block keeps only the parameters it stores. Its type must be a layer type, a
/// carried composite, or a composite of `receiving` (fragments written before definitions were carried).
GraphFragment parseFragment(std::string_view text, const Graph& receiving = Graph(),
    const std::string& sourceName = "clipboard");

/// Whether two definitions are equal as a project file writes them (parameters in canonical form:
/// padding 1 and [1, 1] are the same).
bool sameCompositeDefinition(const CompositeDefinition& a, const CompositeDefinition& b);

} // namespace netdraft::engine
