#pragma once
// The project's past runs, newest first: when, how they ended, test accuracy, and whether the design
// has changed since. Selecting one shows its curves and results; ticking runs overlays their
// validation curves in the plots, to compare them.

#include "widgets/RunRecord.h"

#include <QWidget>

#include <vector>

class QTreeWidget;

namespace netdraft::widgets {

class RunHistoryWidget : public QWidget {
    Q_OBJECT
public:
    explicit RunHistoryWidget(QWidget* parent = nullptr);

    void setRuns(const std::vector<RunRecord>& runs, const QString& currentGraphHash);
    /// The runs ticked for comparison, oldest first.
    QList<int> comparedRuns() const;
    /// Ticks (or unticks) run `number` for comparison, as the user would.
    void setCompared(int number, bool compared);
    QTreeWidget* tree() const { return tree_; }

Q_SIGNALS:
    /// The user picked the run with this number.
    void runSelected(int number);
    /// The set of ticked runs changed.
    void comparisonChanged(const QList<int>& numbers);

private:
    QTreeWidget* tree_ = nullptr;
};

} // namespace netdraft::widgets
