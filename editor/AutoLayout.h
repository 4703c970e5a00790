#pragma once
// Positions for blocks computed by Graphviz "dot", flowing left to right.

#include "engine/graph/Graph.h"

#include <map>
#include <string>
#include <vector>

namespace netdraft::editor {

/// Top-left positions (snapped to the grid) for the blocks `ids` of `graph` (all blocks when empty),
/// laid out by their connections among themselves. A partial layout keeps the top-left corner of the
/// blocks' previous bounding box. Blocks never overlap: dot keeps ranks and nodes apart.
std::map<std::string, engine::Point> computeAutoLayout(
    const engine::Graph& graph, const std::vector<std::string>& ids = {});

} // namespace netdraft::editor
