#include "editor/BlockRectIndex.h"

#include <algorithm>
#include <cmath>

namespace netdraft::editor {

namespace {

bool meets(const QRectF& a, const QRectF& b)
{
    // QRectF::intersects is false for a rectangle without height or width, like a line's bounds.
    return a.left() <= b.right() && b.left() <= a.right() && a.top() <= b.bottom() && b.top() <= a.bottom();
}

int cellOf(double coordinate)
{
    const double cell = std::floor(coordinate / BlockRectIndex::kCellSize);
    return static_cast<int>(std::clamp(cell, -1e6, 1e6)); // the scene is 40,000 px wide; infinity stays finite
}

} // namespace

BlockRectIndex::CellRange BlockRectIndex::cellsOf(const QRectF& rect)
{
    return { cellOf(rect.left()), cellOf(rect.top()), cellOf(rect.right()), cellOf(rect.bottom()) };
}

qint64 BlockRectIndex::cellKey(int column, int row)
{
    return (static_cast<qint64>(column) << 32) ^ static_cast<quint32>(row);
}

QRectF BlockRectIndex::place(const QString& id, const QRectF& rect)
{
    const QRectF before = remove(id);
    int slot;
    if (freeSlots_.empty()) {
        slot = static_cast<int>(entries_.size());
        entries_.push_back({ id, rect });
        seen_.push_back(0);
    } else {
        slot = freeSlots_.back();
        freeSlots_.pop_back();
        entries_[slot] = { id, rect };
    }
    slots_.insert(id, slot);
    const CellRange range = cellsOf(rect);
    for (int column = range.left; column <= range.right; ++column)
        for (int row = range.top; row <= range.bottom; ++row)
            cells_[cellKey(column, row)].push_back(slot);
    topRow_ = std::min(topRow_, range.top);
    bottomRow_ = std::max(bottomRow_, range.bottom);
    return before;
}

QRectF BlockRectIndex::remove(const QString& id)
{
    auto found = slots_.find(id);
    if (found == slots_.end())
        return {};
    const int slot = *found;
    slots_.erase(found);
    const QRectF rect = entries_[slot].rect;
    const CellRange range = cellsOf(rect);
    for (int column = range.left; column <= range.right; ++column)
        for (int row = range.top; row <= range.bottom; ++row) {
            auto cell = cells_.find(cellKey(column, row));
            if (cell == cells_.end())
                continue;
            auto at = std::find(cell->begin(), cell->end(), slot);
            if (at != cell->end()) { // order within a cell does not matter
                *at = cell->back();
                cell->pop_back();
            }
            if (cell->empty())
                cells_.erase(cell);
        }
    entries_[slot] = {};
    freeSlots_.push_back(slot);
    return rect;
}

void BlockRectIndex::clear()
{
    entries_.clear();
    freeSlots_.clear();
    slots_.clear();
    cells_.clear();
    seen_.clear();
    topRow_ = 0;
    bottomRow_ = -1;
}

QRectF BlockRectIndex::rect(const QString& id) const
{
    const int slot = slots_.value(id, -1);
    return slot < 0 ? QRectF() : entries_[slot].rect;
}

std::vector<BlockRectIndex::Entry> BlockRectIndex::blocksMeeting(const QRectF& area) const
{
    if (++query_ == 0) { // wrapped: forget every mark
        std::fill(seen_.begin(), seen_.end(), 0);
        query_ = 1;
    }
    std::vector<Entry> found;
    const CellRange range = cellsOf(area);
    for (int column = range.left; column <= range.right; ++column)
        for (int row = range.top; row <= range.bottom; ++row) {
            auto cell = cells_.constFind(cellKey(column, row));
            if (cell == cells_.cend())
                continue;
            for (const int slot : *cell)
                if (seen_[slot] != query_) { // a block covering several cells is met in each
                    seen_[slot] = query_;
                    if (meets(entries_[slot].rect, area))
                        found.push_back(entries_[slot]);
                }
        }
    return found;
}

std::vector<BlockRectIndex::Entry> BlockRectIndex::blocksInColumn(double left, double right) const
{
    if (bottomRow_ < topRow_)
        return {};
    const double top = topRow_ * kCellSize, bottom = (bottomRow_ + 1) * kCellSize;
    return blocksMeeting(QRectF(QPointF(left, top), QPointF(right, bottom)));
}

} // namespace netdraft::editor
