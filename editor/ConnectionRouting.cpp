#include "editor/ConnectionRouting.h"

#include "editor/ConnectionItem.h"

#include <QLineF>
#include <QPolygonF>
#include <QTransform>

#include <algorithm>
#include <cmath>
#include <utility>

namespace netdraft::editor {

namespace {

constexpr double kReach = 14; // straight out of a port before turning: inside the label-free margin of a gap
constexpr double kLaneClearance = 14; // between a lane and the blocks it passes
constexpr double kCornerRadius = 8;
constexpr double kEdgeTolerance = 1; // a port sits on its block's edge
constexpr size_t kMostLanesTried = 24;

bool overlaps(const QRectF& a, const QRectF& b)
{
    // QRectF::intersects is false for a rectangle without height, like a horizontal line's bounds.
    return a.left() <= b.right() && b.left() <= a.right() && a.top() <= b.bottom() && b.top() <= a.bottom();
}

/// Liang–Barsky: whether segment a–b has a point inside `rect`.
bool segmentEnters(QPointF a, QPointF b, const QRectF& rect)
{
    double t0 = 0, t1 = 1;
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    auto clip = [&](double p, double q) {
        if (p == 0)
            return q >= 0;
        const double t = q / p;
        if (p < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        return t0 <= t1;
    };
    return clip(-dx, a.x() - rect.left()) && clip(dx, rect.right() - a.x()) && clip(-dy, a.y() - rect.top())
        && clip(dy, rect.bottom() - a.y());
}

/// Straight segments through `points` with rounded corners.
QPainterPath roundedPolyline(std::vector<QPointF> points)
{
    // Drop repeated points and points in the middle of a straight run: they would make no corner.
    std::vector<QPointF> corners;
    for (const QPointF& point : points) {
        if (!corners.empty() && QLineF(corners.back(), point).length() < 0.5)
            continue;
        if (corners.size() >= 2) {
            const QPointF a = corners[corners.size() - 2], b = corners.back();
            const double cross = (b.x() - a.x()) * (point.y() - b.y()) - (b.y() - a.y()) * (point.x() - b.x());
            if (std::abs(cross) < 1e-6)
                corners.pop_back();
        }
        corners.push_back(point);
    }
    QPainterPath path(corners.front());
    for (size_t i = 1; i + 1 < corners.size(); ++i) {
        const QLineF in(corners[i], corners[i - 1]), out(corners[i], corners[i + 1]);
        const double radius = std::min({ kCornerRadius, in.length() / 2, out.length() / 2 });
        path.lineTo(in.pointAt(radius / in.length()));
        path.quadTo(corners[i], out.pointAt(radius / out.length()));
    }
    path.lineTo(corners.back());
    return path;
}

QPainterPath lanePath(QPointF from, QPointF to, double laneY)
{
    const double exitX = from.x() + kReach, entryX = to.x() - kReach;
    return roundedPolyline({ from, { exitX, from.y() }, { exitX, laneY }, { entryX, laneY }, { entryX, to.y() }, to });
}

} // namespace

DetourColumn detourColumn(QPointF from, QPointF to)
{
    return { std::min(from.x(), to.x()) - kReach, std::max(from.x(), to.x()) + kReach };
}

bool pathCrosses(const QPainterPath& path, const std::vector<QRectF>& rects)
{
    const QRectF area = path.boundingRect();
    std::vector<QRectF> near;
    for (const QRectF& rect : rects) {
        const QRectF inside = rect.adjusted(kEdgeTolerance, kEdgeTolerance, -kEdgeTolerance, -kEdgeTolerance);
        if (inside.isValid() && overlaps(inside, area))
            near.push_back(inside);
    }
    if (near.empty())
        return false;
    for (const QPolygonF& polyline : path.toSubpathPolygons())
        for (qsizetype i = 0; i + 1 < polyline.size(); ++i)
            for (const QRectF& rect : near)
                if (segmentEnters(polyline[i], polyline[i + 1], rect))
                    return true;
    return false;
}

QPainterPath routeConnection(
    QPointF from, QPointF to, const std::vector<QRectF>& obstacles, const std::vector<QRectF>& ends)
{
    QPainterPath plain = connectionPath(from, to);
    if (!pathCrosses(plain, obstacles))
        return plain;
    // Every lane path stays between the two turns: only the blocks there matter.
    const DetourColumn column = detourColumn(from, to);
    std::vector<QRectF> inCorridor;
    for (const QRectF& rect : obstacles)
        if (rect.right() >= column.left && rect.left() <= column.right)
            inCorridor.push_back(rect);
    // Lanes just above and just below each block there, nearest first; a few tries at most, so that
    // a pile of blocks (before a layout) costs little.
    std::vector<double> lanes;
    for (const std::vector<QRectF>* rects : { &std::as_const(inCorridor), &ends })
        for (const QRectF& rect : *rects) {
            lanes.push_back(rect.top() - kLaneClearance);
            lanes.push_back(rect.bottom() + kLaneClearance);
        }
    auto detour = [&](double y) { return std::abs(y - from.y()) + std::abs(y - to.y()); };
    std::sort(lanes.begin(), lanes.end(),
        [&](double a, double b) { return std::pair(detour(a), a) < std::pair(detour(b), b); });
    lanes.resize(std::min(lanes.size(), kMostLanesTried));
    for (double y : lanes) {
        QPainterPath path = lanePath(from, to, y);
        if (!pathCrosses(path, inCorridor) && !pathCrosses(path, ends))
            return path;
    }
    return plain;
}

} // namespace netdraft::editor
