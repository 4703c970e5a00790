#pragma once
// A sweep running inside the app: the engine's SweepRunner (trials as `netdraft-cli train` processes)
// driven by a timer on the GUI thread, so that pausing, cancelling and adding trials need no locks.
// Reports each trial's start, its epochs while it runs and its end.

#include "engine/experiment/SweepRunner.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

namespace netdraft::app {

class ExperimentRun : public QObject {
    Q_OBJECT
public:
    ExperimentRun(std::vector<engine::Trial> trials, std::vector<std::string> keys, engine::SweepOptions options,
        QObject* parent = nullptr);
    /// Kills trials still running (their processes would otherwise outlive the window).
    ~ExperimentRun() override;

    /// Writes the trial folders and starts the queue; false with `error` when the folders cannot be written.
    bool start(QString* error);
    bool isRunning() const { return timer_.isActive(); }
    /// No trial starts while paused; running trials go on.
    void setPaused(bool paused) { runner_.setPaused(paused); }
    bool isPaused() const { return runner_.paused(); }
    /// Running trials stop after their batch (status stopped), the rest are cancelled.
    void cancel() { runner_.requestStop(); }
    /// cancel(), then waits up to `milliseconds` for the running trials to stop cleanly and kills the
    /// ones still running then (quitting the app); finished() is emitted when it returns.
    void stopAndWait(int milliseconds);
    /// Queues trials after the others; restarts the queue when it had ended. False with `error`.
    bool addTrials(std::vector<engine::Trial> trials, QString* error);

    const engine::ResultsTable& table() const { return runner_.table(); }
    const engine::Trial& trial(int number) const { return runner_.trial(number); }
    QString outputDirectory() const { return QString::fromStdString(runner_.options().outputDirectory); }
    QString trialFolder(int number) const;
    int finishedCount() const { return runner_.finished(); }
    std::optional<double> secondsLeft() const { return runner_.secondsLeft(); }

Q_SIGNALS:
    void trialStarted(const netdraft::engine::TrialRow& row);
    void trialFinished(const netdraft::engine::TrialRow& row);
    /// A running trial finished `done` of its `total` epochs.
    void trialProgress(int trial, qint64 done, qint64 total);
    /// Every trial ended (or the sweep was cancelled); table() is final until trials are added.
    void finished();

private:
    void tick();
    void reportProgress();

    engine::SweepRunner runner_;
    QTimer timer_;
    int ticks_ = 0;
};

} // namespace netdraft::app
