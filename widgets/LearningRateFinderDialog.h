#pragma once
// Train ▸ Find Learning Rate…: runs the engine's learning-rate finder on a snapshot of the project on a
// worker thread (progress, Cancel), plots the loss against the rate on a log axis with the suggested
// rate marked, and offers to apply it. Applying is the caller's: the dialog only emits the rate, so that
// the change goes through the editor's undoable commands.

#include "engine/project/Project.h"
#include "engine/train/LearningRateFinder.h"

#include <QDialog>

#include <atomic>
#include <memory>
#include <optional>

class QCPItemStraightLine;
class QCPItemText;
class QCustomPlot;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QThread;

namespace netdraft::widgets {

class LearningRateFinderDialog : public QDialog {
    Q_OBJECT
public:
    /// `projectDirectory` resolves the dataset's relative paths, as training does.
    LearningRateFinderDialog(engine::Project snapshot, QString projectDirectory, QWidget* parent = nullptr);
    ~LearningRateFinderDialog() override;

    /// Starts a sweep with the options in the form (Run does the same); ignored while one runs.
    void start();
    /// Asks the running sweep to stop after its batch.
    void cancel();
    bool isRunning() const { return thread_ != nullptr; }
    /// The last finished sweep, if any.
    const std::optional<engine::LearningRateFinding>& finding() const { return finding_; }
    QCustomPlot* plot() const { return plot_; }

Q_SIGNALS:
    /// Apply was pressed with the suggested rate (or the rate typed over it).
    void applyRequested(double learningRate);
    /// A sweep ended (finished, cancelled or failed); `error` is empty unless it failed.
    void sweepFinished(const QString& error);

protected:
    void reject() override;

private:
    void addPoint(const engine::LearningRatePoint& point, qint64 done, qint64 planned);
    void finish(std::optional<engine::LearningRateFinding> finding, const QString& error);
    void showSuggestion();
    void setRunning(bool running);

    engine::Project snapshot_;
    QString projectDirectory_;
    QLineEdit* minimumRate_ = nullptr;
    QLineEdit* maximumRate_ = nullptr;
    QSpinBox* batches_ = nullptr;
    QPushButton* runButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    QPushButton* applyButton_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QCustomPlot* plot_ = nullptr;
    QCPItemStraightLine* marker_ = nullptr;
    QCPItemText* markerLabel_ = nullptr;
    QLabel* summary_ = nullptr;
    QLineEdit* rateToApply_ = nullptr;
    QThread* thread_ = nullptr;
    std::shared_ptr<std::atomic<bool>> stop_;
    std::optional<engine::LearningRateFinding> finding_;
};

} // namespace netdraft::widgets
