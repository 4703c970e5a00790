#pragma once
// Where a connection runs when its plain curve would cross blocks: along a clear lane above or
// below them, so that a skip connection is never hidden behind the blocks it skips.

#include <QPainterPath>
#include <QRectF>

#include <vector>

namespace netdraft::editor {

/// The path from output port `from` to input port `to`: connectionPath(from, to) when that crosses
/// none of `obstacles` (the rectangles of blocks other than its own), else a detour that leaves the
/// output to the right, runs along the nearest horizontal lane clear of `obstacles` and of `ends`
/// (its own blocks' rectangles), and enters the input from the left. Keeps the plain path when no
/// lane is clear.
QPainterPath routeConnection(
    QPointF from, QPointF to, const std::vector<QRectF>& obstacles, const std::vector<QRectF>& ends = {});

/// The band of x from `left` to `right` that routeConnection(from, to, …)'s detours use (their lanes
/// run between the two turns): only blocks reaching into it, or into the plain curve's bounds, can be
/// in the way.
struct DetourColumn {
    double left, right;
};
DetourColumn detourColumn(QPointF from, QPointF to);

/// Whether `path` runs through the inside of one of `rects`; touching an edge, where the ports sit,
/// does not count.
bool pathCrosses(const QPainterPath& path, const std::vector<QRectF>& rects);

} // namespace netdraft::editor
