#pragma once
// The cost summary panel: one row per block of the network (composites expanded) with its type,
// output shape, parameters, MACs and activation memory, a totals row that stays last however the
// table is sorted, and the training memory-fit line. Clicking a row selects its block on the canvas.
// Profile measures each block's forward and backward time on a worker thread (engine/insight/
// BlockProfiler) and shows them as two more columns, hidden until then, and hands them to the
// CostAnalysis for the canvas's Time overlay.

#include "editor/CostAnalysis.h"
#include "engine/insight/BlockProfiler.h"

#include <QWidget>

#include <optional>

class QLabel;
class QModelIndex;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableView;
class QThread;

namespace netdraft::widgets {

class CostTableWidget : public QWidget {
    Q_OBJECT
public:
    enum Column {
        Block,
        Type,
        OutputShape,
        Parameters,
        MultiplyAccumulates,
        Memory,
        ForwardTime, ///< after Profile; the value is microseconds
        BackwardTime,
        ColumnCount
    };

    explicit CostTableWidget(editor::CostAnalysis& analysis, QWidget* parent = nullptr);
    ~CostTableWidget() override;

    /// Measures each block's time on the project's training device at its batch size, on a worker
    /// thread; profiled() follows. Ignored while a profile runs.
    void profile();
    /// The last profile measured, if any.
    const std::optional<engine::NetworkProfile>& measuredProfile() const { return profile_; }

    QTableView* table() const { return table_; }
    /// The memory-fit line as shown.
    QString memoryFitText() const;
    /// The text of cell (row, column) as shown, sorting applied; the last row is the totals.
    QString cellText(int row, int column) const;
    /// The number behind a figure cell (what sorting compares), sorting applied.
    qint64 cellValue(int row, int column) const;
    int rowCount() const;

Q_SIGNALS:
    /// A row was clicked: the block of the canvas it belongs to (a composite instance for the blocks inside it).
    void blockActivated(const QString& id);
    /// A profile finished; `error` is empty unless it failed.
    void profiled(const QString& error);

private:
    void refresh();
    /// Block `id` (counted as part of canvas block `canvasId`) by the name the canvas shows.
    QString shownName(const std::string& id, const std::string& canvasId) const;
    void activate(const QModelIndex& index);

    editor::CostAnalysis& analysis_;
    QLabel* memoryFit_;
    QStandardItemModel* model_;
    QSortFilterProxyModel* sorted_;
    QTableView* table_;
    QPushButton* profileButton_;
    QThread* profiling_ = nullptr;
    std::optional<engine::NetworkProfile> profile_;
};

} // namespace netdraft::widgets
