#pragma once
// Starts, pauses and stops training runs on a worker thread and assembles each run's record.
// Tiled-style: the worker lives on a QThread; stopping is requestStop + quit + wait.

#include "app/gui/TrainingTypes.h"
#include "widgets/RunRecord.h"

#include <QObject>
#include <QPointer>

class QThread;

namespace netdraft::app {

class TrainingWorker;

class TrainingController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Running, Paused, Stopping };
    Q_ENUM(State)

    explicit TrainingController(QObject* parent = nullptr);
    /// Stops a run still going and waits for its thread.
    ~TrainingController() override;

    /// Trains `snapshot` (a copy; later edits do not reach the run). `settings` is stored in the
    /// run record as given. Returns false when a run is already going.
    bool start(const engine::Project& snapshot, const QString& projectDirectory, const QString& outputDirectory,
        const QString& resumeFrom, int runNumber, const QJsonObject& settings);
    void pause();
    void resume();
    /// Asks the run to stop before its next batch; returns at once.
    void stop();
    /// Stops the run and blocks until its thread has ended (closing the window).
    void shutdown();

    State state() const { return state_; }
    bool isActive() const { return state_ != State::Idle; }
    /// The graph fingerprint of the running (or last) snapshot.
    QString runningGraphHash() const { return record_.graphHash; }

Q_SIGNALS:
    void stateChanged(netdraft::app::TrainingController::State state);
    void logMessage(const QString& message);
    void batchReported(const netdraft::engine::SessionBatch& batch);
    void epochReported(const netdraft::engine::SessionEpoch& epoch);
    void errorOccurred(const QString& message);
    /// The run ended (any reason) and its thread is gone; `record` is complete.
    void runFinished(const netdraft::widgets::RunRecord& record);

private:
    void setState(State state);
    void onBatch(const engine::SessionBatch& batch);
    void onEpoch(const engine::SessionEpoch& epoch);
    void onOutcome(const engine::SessionOutcome& outcome);
    void onThreadFinished();

    State state_ = State::Idle;
    QThread* thread_ = nullptr;
    QPointer<TrainingWorker> worker_;
    widgets::RunRecord record_;
    bool outcomeReceived_ = false;
};

} // namespace netdraft::app
