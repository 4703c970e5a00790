#include "app/gui/TrainingController.h"

#include "app/gui/RankProcesses.h"
#include "app/gui/TrainingWorker.h"
#include "engine/io/ProjectFormat.h"

#include <QCoreApplication>
#include <QDir>
#include <QThread>
#include <QTimer>

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
    engine::Project project = snapshot;
    const bool gpus = gpus_ > 1 && project.training.device.rfind("cuda", 0) == 0;
    const int processes = gpus ? gpus_ : processes_;
    auto* worker = new TrainingWorker(project, projectDirectory, outputDirectory, resumeFrom);
    delete ranks_; // a previous run's other ranks, if any still run
    if (processes > 1) {
        delete worker;
        // Every rank on this machine shares its cores; with GPUs each takes its own (cuda:LOCAL_RANK).
        if (project.training.threads == 0)
            project.training.threads = std::max(1, QThread::idealThreadCount() / processes);
        if (gpus)
            project.training.device = "cuda";
        engine::Project mainRank = project;
        if (gpus)
            mainRank.training.device = "cuda:0";
        worker = new TrainingWorker(mainRank, projectDirectory, outputDirectory, resumeFrom);
        const QString error
            = startOtherRanks(*worker, project, processes, gpus, projectDirectory, outputDirectory, resumeFrom);
        if (!error.isEmpty()) {
            delete worker;
            Q_EMIT errorOccurred(error);
            return false;
        }
    }
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
    connect(worker, &TrainingWorker::statisticsRecorded, this, &TrainingController::statisticsRecorded);
    connect(worker, &TrainingWorker::runFinished, this, &TrainingController::onOutcome);
    setState(State::Running);
    thread_->start();
    return true;
}

void TrainingController::setProcesses(int processes, int gpus)
{
    processes_ = std::max(1, processes);
    gpus_ = std::max(1, gpus);
}

QString TrainingController::startOtherRanks(TrainingWorker& worker, const engine::Project& project, int processes,
    bool gpus, const QString& projectDirectory, const QString& outputDirectory, const QString& resumeFrom)
{
    // The other ranks read the design from a file, with the dataset and starting weights found from anywhere.
    engine::Project file = project;
    const QDir base(projectDirectory);
    if (!file.dataset.path.empty())
        file.dataset.path = base.absoluteFilePath(QString::fromStdString(file.dataset.path)).toStdString();
    if (!file.initialWeights.empty())
        file.initialWeights = base.absoluteFilePath(QString::fromStdString(file.initialWeights)).toStdString();
    const QString projectFile = QDir(outputDirectory).filePath(QStringLiteral("ranks.netdraft"));
    engine::LocalJob job;
    job.processes = processes;
    job.timeout = std::chrono::seconds(rankTimeoutSeconds_);
    try {
        QDir().mkpath(outputDirectory);
        engine::saveProjectFile(file, projectFile.toStdString());
        job.port = engine::freeLocalPort();
    } catch (const std::exception& error) {
        return tr("Cannot start %1 training processes: %2").arg(processes).arg(QString::fromUtf8(error.what()));
    }
    QString program = workerProgram_;
    if (program.isEmpty())
        program = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("netdraft-cli"));
    QStringList arguments { QStringLiteral("train"), projectFile, QStringLiteral("--out"), outputDirectory,
        QStringLiteral("--dist-timeout"), QString::number(rankTimeoutSeconds_), QStringLiteral("--threads"),
        QString::number(project.training.threads) };
    if (!resumeFrom.isEmpty())
        arguments << QStringLiteral("--resume") << resumeFrom;

    ranks_ = new RankProcesses(this);
    rankFailure_.clear();
    connect(ranks_, &RankProcesses::rankFailed, this, [this](int, const QString& message) {
        if (rankFailure_.isEmpty())
            rankFailure_ = message;
        Q_EMIT logMessage(message);
        Q_EMIT errorOccurred(message);
        if (worker_)
            worker_->requestStop();
    });
    ranks_->start(program, arguments, job);
    worker.setDistributedJob(job.environment(0), gpus ? QStringLiteral("nccl") : QStringLiteral("gloo"));
    const QString others = processes == 2 ? tr("rank 1") : tr("ranks 1-%1").arg(processes - 1);
    Q_EMIT logMessage(tr("Training on %1 processes: rank 0 here, %2 as %3").arg(processes).arg(others, program));
    return {};
}

void TrainingController::pause()
{
    if (ranks_) {
        Q_EMIT logMessage(tr("A run on several processes cannot pause (the other ranks would time out); "
                             "Stop ends every rank with a checkpoint"));
        return;
    }
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
    delete ranks_; // kills the other ranks still running
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
    record_.nonFiniteBlock = QString::fromStdString(outcome.nonFiniteBlockId);
    if (outcome.nonFinite && !outcome.nonFinite->blockId.empty()) {
        record_.nonFiniteRunBlock = QString::fromStdString(outcome.nonFinite->blockId);
        record_.nonFiniteDetail = QString::fromStdString(outcome.nonFinite->detail());
    }
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
    if (ranks_) {
        // Rank 0 is done: the others end with it. Whatever still runs after a failure, or long after
        // a finished run, is stopped.
        const bool failed = record_.stopReason == QLatin1String("failed");
        if (failed && !rankFailure_.isEmpty() && !record_.message.contains(rankFailure_))
            record_.message
                = record_.message.isEmpty() ? rankFailure_ : rankFailure_ + QStringLiteral("; ") + record_.message;
        QPointer<RankProcesses> ranks = ranks_;
        QTimer::singleShot(failed ? 0 : 15000, ranks, [ranks] {
            if (ranks)
                ranks->stop(3000);
        });
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
