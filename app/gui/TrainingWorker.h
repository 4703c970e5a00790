#pragma once
// Runs one TrainingSession on the thread it was moved to and turns its callbacks into signals.

#include "app/gui/TrainingTypes.h"
#include "engine/distributed/DistributedEnvironment.h"

#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace netdraft::app {

/// Lives on a QThread; run() blocks that thread until training ends. The control calls
/// (requestStop, pause, resume) are thread-safe and meant for the GUI thread.
class TrainingWorker : public QObject {
    Q_OBJECT
public:
    TrainingWorker(engine::Project snapshot, QString projectDirectory, QString outputDirectory, QString resumeFrom);
    ~TrainingWorker() override;

    /// Trains as rank `environment.rank` of a job whose other workers run elsewhere (RankProcesses):
    /// run() joins it first over `backend` ("gloo", "nccl"). Call before run().
    void setDistributedJob(const engine::DistributedEnvironment& environment, const QString& backend);
    void requestStop();
    void pause();
    void resume();
    QString graphHash() const;

public Q_SLOTS:
    void run();

Q_SIGNALS:
    void logMessage(const QString& message);
    void batchReported(const netdraft::engine::SessionBatch& batch);
    void epochReported(const netdraft::engine::SessionEpoch& epoch);
    /// A recorded batch's per-block statistics (training setting statistics_every).
    void statisticsRecorded(const netdraft::engine::StatisticsRecord& record);
    void runFinished(const netdraft::engine::SessionOutcome& outcome);
    void errorOccurred(const QString& message);
    /// run() returned; the thread may quit.
    void done();

private:
    std::unique_ptr<engine::TrainingSession> session_;
    std::optional<engine::DistributedEnvironment> job_;
    QString backend_;
};

} // namespace netdraft::app
