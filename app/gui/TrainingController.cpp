#include "app/gui/TrainingController.h"

#include "app/gui/TrainingWorker.h"

#include <QCoreApplication>
#include <QThread>

#include <utility>

namespace netdraft::app {

TrainingController::TrainingController(QObject* parent)
    : QObject(parent)
{
    registerTrainingTypes();
}

TrainingController::~TrainingController()
{
    shutdown();
}

bool TrainingController::start(const engine::Project& snapshot, const QString& projectDirectory,
    const QString& outputDirectory, const QString& resumeFrom, int runNumber, const QJsonObject& settings)
{
    if (thread_)
        return false;
    auto* worker = new TrainingWorker(snapshot, projectDirectory, outputDirectory, resumeFrom);
    record_ = widgets::RunRecord {};
    record_.number = runNumber;
    record_.started = QDateTime::currentDateTime();
    record_.graphHash = worker->graphHash();
    record_.settings = settings;
    outcomeReceived_ = false;

    thread_ = new QThread(this);
    thread_->setObjectName(QStringLiteral("training"));
    worker->moveToThread(thread_);
    worker_ = worker;
    connect(thread_, &QThread::started, worker, &TrainingWorker::run);
    connect(worker, &TrainingWorker::done, thread_, &QThread::quit);
    connect(thread_, &QThread::finished, worker, &QObject::deleteLater);
    connect(thread_, &QThread::finished, this, &TrainingController::onThreadFinished);
    connect(worker, &TrainingWorker::logMessage, this, &TrainingController::logMessage);
    connect(worker, &TrainingWorker::errorOccurred, this, [this](const QString& message) {
        record_.message = message;
        Q_EMIT errorOccurred(message);
    });
    connect(worker, &TrainingWorker::batchReported, this, &TrainingController::onBatch);
    connect(worker, &TrainingWorker::epochReported, this, &TrainingController::onEpoch);
    connect(worker, &TrainingWorker::runFinished, this, &TrainingController::onOutcome);
    setState(State::Running);
    thread_->start();
    return true;
}

void TrainingController::pause()
{
    if (state_ != State::Running || !worker_)
        return;
    worker_->pause();
    setState(State::Paused);
}

void TrainingController::resume()
{
    if (state_ != State::Paused || !worker_)
        return;
    worker_->resume();
    setState(State::Running);
}

void TrainingController::stop()
{
    if (!thread_ || state_ == State::Stopping)
        return;
    if (worker_)
        worker_->requestStop(); // also releases a paused run
    setState(State::Stopping);
}

void TrainingController::shutdown()
{
    if (!thread_)
        return;
    stop();
    thread_->quit();
    thread_->wait();
    // The queued finished signal would arrive after we are gone; deliver the end now.
    onThreadFinished();
}

void TrainingController::onBatch(const engine::SessionBatch& batch)
{
    const double position
        = double(batch.epoch - 1) + double(batch.batch) / double(std::max<int64_t>(1, batch.batchesPerEpoch));
    record_.batchLoss.append({ position, batch.loss });
    Q_EMIT batchReported(batch);
}

void TrainingController::onEpoch(const engine::SessionEpoch& epoch)
{
    const double x = double(epoch.epoch);
    record_.trainLoss.append({ x, epoch.trainLoss });
    if (epoch.validationLoss)
        record_.validationLoss.append({ x, *epoch.validationLoss });
    if (epoch.trainAccuracy)
        record_.trainAccuracy.append({ x, *epoch.trainAccuracy });
    if (epoch.validationAccuracy)
        record_.validationAccuracy.append({ x, *epoch.validationAccuracy });
    record_.epochsCompleted = int(epoch.epoch);
    Q_EMIT epochReported(epoch);
}

void TrainingController::onOutcome(const engine::SessionOutcome& outcome)
{
    outcomeReceived_ = true;
    record_.stopReason = QString::fromStdString(outcome.stopReason);
    record_.message = QString::fromStdString(outcome.message);
    record_.epochsCompleted = int(outcome.epochsCompleted);
    record_.testLoss = outcome.testLoss;
    record_.testAccuracy = outcome.testAccuracy;
    record_.confusionMatrix = outcome.confusionMatrix;
    record_.perClassAccuracy = outcome.perClassAccuracy;
    record_.classNames.clear();
    for (const std::string& name : outcome.classNames)
        record_.classNames << QString::fromStdString(name);
}

void TrainingController::onThreadFinished()
{
    if (!thread_)
        return;
    // Null first: delivering the queued reports below also delivers the queued call of this slot.
    QThread* thread = std::exchange(thread_, nullptr);
    QCoreApplication::sendPostedEvents(this); // reports still queued from the worker
    thread->deleteLater();
    if (!outcomeReceived_) { // failed before training began (bad data, design errors)
        record_.stopReason = QStringLiteral("failed");
    }
    record_.finished = QDateTime::currentDateTime();
    setState(State::Idle);
    Q_EMIT runFinished(record_);
}

void TrainingController::setState(State state)
{
    if (state_ == state)
        return;
    state_ = state;
    Q_EMIT stateChanged(state);
}

} // namespace netdraft::app
