#pragma once
// Positions for blocks: Graphviz "dot" ranks and orders them left to right, then the ranks are
// wrapped into rows going down (like the example projects) so that the graph fills a view of a
// given shape at a readable zoom.

#include "engine/graph/Graph.h"

#include <limits>
#include <map>
#include <string>
#include <vector>

namespace netdraft::editor {

/// Width / height of the area a layout aims to fill when no view says otherwise (a wide window).
inline constexpr double kDefaultLayoutAspectRatio = 16.0 / 9.0;
/// Rows hold at least this many columns (when there are as many), however narrow the view.
inline constexpr size_t kMinColumnsPerRow = 2;

/// Top-left positions (snapped to the grid) for the blocks `ids` of `graph` (all blocks when empty),
/// laid out by their connections among themselves. Each rank is a column whose blocks (parallel
/// branches) stack downwards; the columns run left to right and wrap into rows, the number per row
/// chosen so that the bounding box's width / height is closest to `aspectRatio`, and a row ends
/// where few connections cross into the next one (between residual blocks rather than inside one).
/// A partial layout keeps the top-left corner of the blocks' previous bounding box. Blocks never
/// overlap.
/// Rows are no wider than `maxRowWidth` (the view's width at its smallest readable zoom) unless a row
/// of kMinColumnsPerRow columns is; a graph whose columns all fit in that width stays one row.
std::map<std::string, engine::Point> computeAutoLayout(const engine::Graph& graph,
    const std::vector<std::string>& ids = {}, double aspectRatio = kDefaultLayoutAspectRatio,
    double maxRowWidth = std::numeric_limits<double>::infinity());

} // namespace netdraft::editor
