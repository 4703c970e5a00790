#pragma once
// The end of a run: how it stopped, test loss and accuracy, the confusion matrix, per-class accuracy
// and a gallery of test samples with their predictions.

#include "widgets/RunRecord.h"

#include <QWidget>

class QAction;
class QLabel;
class QSplitter;
class QTableWidget;
class QToolButton;

namespace netdraft::widgets {

class ConfusionMatrixWidget;
class PredictionGalleryWidget;

class TrainingResultsWidget : public QWidget {
    Q_OBJECT
public:
    explicit TrainingResultsWidget(QWidget* parent = nullptr);

    void showRun(const RunRecord& run);
    void clear();
    ConfusionMatrixWidget* confusionMatrix() const { return matrix_; }
    QTableWidget* perClassTable() const { return perClass_; }
    /// Test samples with their predictions; clicking a confusion-matrix cell filters it.
    PredictionGalleryWidget* predictions() const { return predictions_; }
    /// A button beside the summary that triggers `action` (the window's "Results in a Large Window").
    void setWindowAction(QAction* action);
    QToolButton* windowButton() const { return windowButton_; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    /// Matrix, gallery and table side by side: the square matrix as wide as its height allows (at
    /// most 40 %), the table a sixth, the gallery the rest; left alone once the user drags a handle.
    void balanceColumns();
    /// Says so in the summary when the gallery's predictions do not add up to the run's matrix.
    void checkPredictions();

    QString summaryText_;
    QLabel* summary_ = nullptr;
    ConfusionMatrixWidget* matrix_ = nullptr;
    QTableWidget* perClass_ = nullptr;
    PredictionGalleryWidget* predictions_ = nullptr;
    QToolButton* windowButton_ = nullptr;
    QSplitter* splitter_ = nullptr;
    bool columnsMovedByUser_ = false;
};

} // namespace netdraft::widgets
