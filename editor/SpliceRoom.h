#pragma once
// Room for a block spliced into a connection: where the block goes and which blocks after it step
// aside, so that inserting never lands a block on top of its neighbours (Blender's "auto-offset").

#include "engine/graph/Graph.h"

#include <map>
#include <string>

namespace netdraft::editor {

inline constexpr double kSpliceGap = 40; ///< free space left between the spliced block and its neighbours

/// New top-left positions for splicing block `inserted` (in `graph`, at its drop position) into
/// `wire`; only blocks that move are listed. The flow runs right, or down when the wire's target lies
/// below its source and not to its right (wrapped rows, top-down layouts). A block dropped over the
/// wire's source goes just after it. Then the blocks reachable from the wire's target that it would
/// overlap, and those after them in the same row (column), move right (down) by just enough to leave
/// kSpliceGap after it; other rows stay where they are.
std::map<std::string, engine::Point> spliceRoom(
    const engine::Graph& graph, const std::string& inserted, const engine::Connection& wire);

} // namespace netdraft::editor
