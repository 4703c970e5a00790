#pragma once
// Grouping blocks into a composite block and ungrouping an instance back into its blocks, as pure
// functions on the graph (the editor wraps them in undoable commands).

#include "engine/graph/Graph.h"

#include <map>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Moves blocks `ids` into a new composite definition `name` and puts one instance `instanceId` of
/// it in their place, at the top-left of the grouped blocks. Connections inside the selection go into
/// the definition; each outside output feeding the selection becomes an input port ("in", "in2", ...),
/// each inner output feeding the outside an output port ("out", "out2", ...). Throws Error when a
/// block is missing, is the Input or Output, or the name or id is taken or invalid.
Graph groupBlocks(const Graph& graph, const std::vector<std::string>& ids, const std::string& name,
                  const std::string& instanceId);

/// Replaces instance `instanceId` by its definition's blocks (ids kept where free, else made unique),
/// placed relative to the instance, and reconnects its ports. The definition stays in the graph.
/// Ungrouping the result of groupBlocks gives the original blocks and connections (in another order,
/// with the same positions while the instance was not moved). Throws Error when `instanceId` is not
/// an instance. `renamed`, when given, receives inner id → id in the result for every inner block.
Graph ungroupBlock(
    const Graph& graph, const std::string& instanceId, std::map<std::string, std::string>* renamed = nullptr);

/// The inside of `definition` as a graph of its own that knows every definition of `project` (so its
/// nested instances resolve): what the editor shows and edits when the composite is open.
Graph compositeInside(const Graph& project, const CompositeDefinition& definition);

/// groupBlocks inside composite `scope` of the project graph `graph` (the blocks are its inner blocks);
/// returns the project graph. A port of `scope` that pointed at a grouped block now points at a port of
/// the new instance, which the new definition gains for it (named after the outer port where free), so
/// the open definition stays valid. Throws Error as groupBlocks does, or when there is no such composite.
Graph groupInsideComposite(const Graph& graph, const std::string& scope, const std::vector<std::string>& ids,
    const std::string& name, const std::string& instanceId);

/// ungroupBlock inside composite `scope` of the project graph `graph`; returns the project graph. Ports of
/// `scope` that pointed at the instance now point at the inner blocks behind its ports.
Graph ungroupInsideComposite(const Graph& graph, const std::string& scope, const std::string& instanceId);

/// The top-left corner of a definition's blocks: where an instance made by groupBlocks sits.
Point compositeAnchor(const CompositeDefinition& definition);

} // namespace netdraft::engine
