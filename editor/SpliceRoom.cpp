#include "editor/SpliceRoom.h"

#include "editor/BlockGeometry.h"

#include <QRectF>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <vector>

namespace netdraft::editor {

namespace {

QRectF rectOf(const engine::Block& block, const engine::Graph& graph)
{
    return QRectF(QPointF(block.position.x, block.position.y), geometry::blockSize(block, graph));
}

double ceilToGrid(double value)
{
    return geometry::kGrid * std::ceil(value / geometry::kGrid - 1e-9);
}

/// Closer than one grid step counts as on top of each other.
bool crowds(const QRectF& a, const QRectF& b)
{
    return a.adjusted(-geometry::kGrid, -geometry::kGrid, geometry::kGrid, geometry::kGrid).intersects(b);
}

std::set<std::string> reachableFrom(const engine::Graph& graph, const std::string& start)
{
    std::set<std::string> reached;
    std::vector<std::string> pending { start };
    while (!pending.empty()) {
        const std::string id = pending.back();
        pending.pop_back();
        if (!reached.insert(id).second)
            continue;
        for (const engine::Connection& connection : graph.connectionsFrom(id))
            pending.push_back(connection.to.block);
    }
    return reached;
}

} // namespace

std::map<std::string, engine::Point> spliceRoom(
    const engine::Graph& graph, const std::string& inserted, const engine::Connection& wire)
{
    std::map<std::string, engine::Point> moved;
    const engine::Block* block = graph.findBlock(inserted);
    const engine::Block* source = graph.findBlock(wire.from.block);
    const engine::Block* target = graph.findBlock(wire.to.block);
    if (!block || !source || !target)
        return moved;
    const QRectF sourceRect = rectOf(*source, graph);
    const QRectF targetRect = rectOf(*target, graph);
    const bool down = targetRect.left() < sourceRect.right() && targetRect.top() >= sourceRect.bottom();
    QRectF placed = rectOf(*block, graph);
    if (crowds(placed, sourceRect)) {
        placed.moveTopLeft(down ? QPointF(sourceRect.left(), ceilToGrid(sourceRect.bottom() + kSpliceGap))
                                : QPointF(ceilToGrid(sourceRect.right() + kSpliceGap), sourceRect.top()));
        moved[inserted] = { placed.x(), placed.y() };
    }

    std::set<std::string> downstream = reachableFrom(graph, wire.to.block);
    downstream.erase(inserted);
    downstream.erase(wire.from.block);
    double shift = 0;
    double front = std::numeric_limits<double>::max(); // where the first crowded block starts
    for (const std::string& id : downstream) {
        const QRectF rect = rectOf(graph.block(id), graph);
        if (!crowds(placed, rect))
            continue;
        shift = std::max(
            shift, down ? placed.bottom() + kSpliceGap - rect.top() : placed.right() + kSpliceGap - rect.left());
        front = std::min(front, down ? rect.top() : rect.left());
    }
    if (shift <= 0)
        return moved;
    shift = ceilToGrid(shift);
    for (const std::string& id : downstream) {
        const QRectF rect = rectOf(graph.block(id), graph);
        // The crowded blocks' row (column): what follows them there keeps its spacing.
        const bool inBand = down
            ? rect.right() > placed.left() - kSpliceGap && rect.left() < placed.right() + kSpliceGap
            : rect.bottom() > placed.top() - kSpliceGap && rect.top() < placed.bottom() + kSpliceGap;
        const bool ahead = (down ? rect.top() : rect.left()) >= front;
        if ((inBand && ahead) || crowds(placed, rect)) {
            const engine::Point p = graph.block(id).position;
            moved[id] = down ? engine::Point { p.x, p.y + shift } : engine::Point { p.x + shift, p.y };
        }
    }
    return moved;
}

} // namespace netdraft::editor
