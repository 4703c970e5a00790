#pragma once
// The run's progress: a bar over all batches, epoch and batch, throughput, time left, and the run's
// Start/Pause/Resume/Stop actions as buttons.

#include <QElapsedTimer>
#include <QWidget>

class QAction;
class QLabel;
class QProgressBar;
class QHBoxLayout;

namespace netdraft::widgets {

class TrainingProgressWidget : public QWidget {
    Q_OBJECT
public:
    explicit TrainingProgressWidget(QWidget* parent = nullptr);

    /// Shows these actions as buttons next to the bar.
    void addButtons(const QList<QAction*>& actions);

    void startRun(int64_t epochs);
    void setBatch(int64_t epoch, int64_t epochs, int64_t batch, int64_t batchesPerEpoch, double samplesPerSecond);
    void setStatus(const QString& text);
    /// No run going: the bar at `fraction` (0..1) of the shown run, or empty, and a status line.
    void showIdle(const QString& text, double fraction = 0.0);
    QString statusText() const;

    /// "1:05", "2:03:04".
    static QString formatDuration(double seconds);

private:
    QProgressBar* bar_ = nullptr;
    QLabel* details_ = nullptr;
    QHBoxLayout* buttons_ = nullptr;
    QElapsedTimer clock_;
};

} // namespace netdraft::widgets
