#pragma once
// A stable hash of what a graph computes, to tell whether a checkpoint belongs to a project.

#include "engine/graph/Graph.h"

#include <string>

namespace netdraft::engine {

/// 16 hex digits (FNV-1a, 64 bit) over the blocks' ids, types and parameters and the connections, each
/// sorted so that insertion order does not matter. Display names and canvas positions are left out:
/// moving a block keeps its checkpoints valid.
std::string graphFingerprint(const Graph& graph);

} // namespace netdraft::engine
