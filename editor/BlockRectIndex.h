#pragma once
// Where the canvas's blocks are, bucketed in a grid of square cells, so that routing a connection
// asks only the blocks near it instead of every block of a large graph.

#include <QHash>
#include <QRectF>
#include <QString>

#include <vector>

namespace netdraft::editor {

/// Block id → rectangle, with the blocks bucketed by the grid cells their rectangles cover.
class BlockRectIndex {
public:
    /// One block found by a query.
    struct Entry {
        QString id;
        QRectF rect;
    };

    /// Puts `id` at `rect` (moving it when it is there already); returns the rectangle it had, or
    /// an empty one when it is new.
    QRectF place(const QString& id, const QRectF& rect);
    /// Takes `id` out; returns the rectangle it had (empty when it was not there).
    QRectF remove(const QString& id);
    void clear();

    /// The rectangle of `id`; empty when it is not there.
    QRectF rect(const QString& id) const;
    /// Every block whose rectangle meets `area` (edges touching count), each once, in no set order.
    std::vector<Entry> blocksMeeting(const QRectF& area) const;
    /// Every block whose rectangle meets the vertical band from `left` to `right`, at any height.
    std::vector<Entry> blocksInColumn(double left, double right) const;

    static constexpr double kCellSize = 320; ///< about two blocks wide: a block covers 1–4 cells

private:
    struct CellRange {
        int left, top, right, bottom;
    };
    static CellRange cellsOf(const QRectF& rect);
    static qint64 cellKey(int column, int row);

    std::vector<Entry> entries_; ///< by slot; a free slot has an empty id
    std::vector<int> freeSlots_;
    QHash<QString, int> slots_;
    QHash<qint64, std::vector<int>> cells_; ///< the slots covering each cell
    mutable std::vector<unsigned> seen_; ///< by slot: the query that last returned it
    mutable unsigned query_ = 0;
    int topRow_ = 0, bottomRow_ = -1; ///< the rows any block ever covered (for blocksInColumn)
};

} // namespace netdraft::editor
