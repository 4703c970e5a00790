#include "app/gui/TrainingWorker.h"

#include "engine/distributed/LocalJob.h"

namespace netdraft::app {

void registerTrainingTypes()
{
    qRegisterMetaType<engine::SessionBatch>();
    qRegisterMetaType<engine::SessionEpoch>();
    qRegisterMetaType<engine::SessionOutcome>();
    qRegisterMetaType<engine::StatisticsRecord>();
}

TrainingWorker::TrainingWorker(
    engine::Project snapshot, QString projectDirectory, QString outputDirectory, QString resumeFrom)
    : session_(std::make_unique<engine::TrainingSession>(
        std::move(snapshot), projectDirectory.toStdString(), outputDirectory.toStdString()))
{
    if (!resumeFrom.isEmpty())
        session_->setResumeFrom(resumeFrom.toStdString());
    // The callbacks run on the training thread; emitting from there makes the connections to the
    // window's objects queued, so the plain values are copied across.
    engine::SessionCallbacks callbacks;
    callbacks.onLog = [this](const std::string& message) { Q_EMIT logMessage(QString::fromStdString(message)); };
    callbacks.onBatch = [this](const engine::SessionBatch& batch) { Q_EMIT batchReported(batch); };
    callbacks.onEpoch = [this](const engine::SessionEpoch& epoch) { Q_EMIT epochReported(epoch); };
    callbacks.onStatistics
        = [this](const engine::StatisticsRecord& record) { Q_EMIT statisticsRecorded(record); };
    callbacks.onFinished = [this](const engine::SessionOutcome& outcome) { Q_EMIT runFinished(outcome); };
    callbacks.onError = [this](const std::string& message) { Q_EMIT errorOccurred(QString::fromStdString(message)); };
    session_->setCallbacks(std::move(callbacks));
}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::setDistributedJob(const engine::DistributedEnvironment& environment, const QString& backend)
{
    job_ = environment;
    backend_ = backend;
}

void TrainingWorker::run()
{
    if (job_) {
        // Waits for every rank (up to the job's timeout): on this thread, not the window's.
        Q_EMIT logMessage(
            tr("Waiting for %1 training processes on 127.0.0.1:%2").arg(job_->worldSize).arg(job_->masterPort));
        try {
            engine::JoinedJob joined = engine::joinJob(*job_, backend_.toStdString());
            Q_EMIT logMessage(QStringLiteral("distributed: ") + QString::fromStdString(joined.description));
            session_->setDistributed(std::move(joined.context));
        } catch (const std::exception& error) {
            Q_EMIT errorOccurred(QString::fromUtf8(error.what()));
            Q_EMIT done();
            return;
        }
    }
    session_->start();
    Q_EMIT done();
}

void TrainingWorker::requestStop()
{
    session_->requestStop();
}
void TrainingWorker::pause()
{
    session_->pause();
}
void TrainingWorker::resume()
{
    session_->resume();
}
QString TrainingWorker::graphHash() const
{
    return QString::fromStdString(session_->graphHash());
}

} // namespace netdraft::app
