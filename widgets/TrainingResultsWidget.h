#pragma once
// The end of a run: how it stopped, test loss and accuracy, the confusion matrix and per-class accuracy.

#include "widgets/RunRecord.h"

#include <QWidget>

class QLabel;
class QTableWidget;

namespace netdraft::widgets {

class ConfusionMatrixWidget;

class TrainingResultsWidget : public QWidget {
    Q_OBJECT
public:
    explicit TrainingResultsWidget(QWidget* parent = nullptr);

    void showRun(const RunRecord& run);
    void clear();
    QString summaryText() const;
    ConfusionMatrixWidget* confusionMatrix() const { return matrix_; }
    QTableWidget* perClassTable() const { return perClass_; }

private:
    QLabel* summary_ = nullptr;
    ConfusionMatrixWidget* matrix_ = nullptr;
    QTableWidget* perClass_ = nullptr;
};

} // namespace netdraft::widgets
