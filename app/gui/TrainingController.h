#pragma once
// Starts, pauses and stops training runs on a worker thread and assembles each run's record.
// Tiled-style: the worker lives on a QThread; stopping is requestStop + quit + wait.

#include "app/gui/TrainingTypes.h"
#include "widgets/RunRecord.h"

#include <QObject>
#include <QPointer>

class QThread;

namespace netdraft::app {

class RankProcesses;
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
    /// How the next runs train: on `processes` worker processes of this machine (1: in the app alone),
    /// or with a CUDA device on `gpus` GPUs, one process each. Rank 0 trains in the app and reports;
    /// the others are `netdraft-cli train` processes (RankProcesses).
    void setProcesses(int processes, int gpus = 1);
    int processes() const { return processes_; }
    /// The netdraft-cli the other ranks run; by default the one next to the application.
    void setWorkerProgram(const QString& program) { workerProgram_ = program; }
    /// Seconds a rank waits for the others before it stops, naming the one that stopped responding.
    void setRankTimeout(int seconds) { rankTimeoutSeconds_ = seconds; }
    /// Pauses a single-process run; a run on several processes cannot pause (its ranks would time out).
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
    /// A recorded batch's per-block statistics with their histograms (training setting statistics_every).
    void statisticsRecorded(const netdraft::engine::StatisticsRecord& record);
    void errorOccurred(const QString& message);
    /// The run ended (any reason) and its thread is gone; `record` is complete.
    void runFinished(const netdraft::widgets::RunRecord& record);

private:
    void setState(State state);
    void onBatch(const engine::SessionBatch& batch);
    void onEpoch(const engine::SessionEpoch& epoch);
    void onOutcome(const engine::SessionOutcome& outcome);
    void onThreadFinished();
    /// Starts ranks 1… for a run on several processes and tells `worker` to join as rank 0. Returns
    /// an error message when the job cannot be set up.
    QString startOtherRanks(TrainingWorker& worker, const engine::Project& project, int processes, bool gpus,
        const QString& projectDirectory, const QString& outputDirectory, const QString& resumeFrom);

    State state_ = State::Idle;
    QThread* thread_ = nullptr;
    QPointer<TrainingWorker> worker_;
    widgets::RunRecord record_;
    bool outcomeReceived_ = false;
    int processes_ = 1;
    int gpus_ = 1;
    int rankTimeoutSeconds_ = 60;
    QString workerProgram_;
    QPointer<RankProcesses> ranks_; ///< the other ranks of a run on several processes
    QString rankFailure_; ///< the first rank failure of that run
};

} // namespace netdraft::app
