// MainWindow: training runs, their live display and their history.

#include "app/gui/MainWindow.h"
#include "app/gui/ExperimentTrialRun.h"
#include "app/gui/ExperimentWindow.h"
#include "app/gui/ProblemsDockRaiser.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/TrainingController.h"
#include "editor/BlockItem.h"
#include "editor/FailureMark.h"
#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "engine/io/ProjectFormat.h"
#include "engine/train/GraphFingerprint.h"
#include "widgets/LogWidget.h"
#include "widgets/PredictionGalleryWidget.h"
#include "widgets/RunHistoryWidget.h"
#include "widgets/TrainingPlotWidget.h"
#include "widgets/TrainingProgressWidget.h"
#include "widgets/TrainingResultsWidget.h"
#include "widgets/TrainingSettingsWidget.h"

#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QStatusBar>

#include <algorithm>
#include <limits>

namespace netdraft::app {

namespace {

QString graphHashOf(const engine::Project& project)
{
    return QString::fromStdString(engine::graphFingerprint(project.graph));
}

/// Keeps the design and settings a run trains beside its weights, with the dataset path made
/// absolute, so that its gallery and its export work after the project has changed or moved.
void writeRunSnapshot(engine::Project snapshot, const QString& projectDirectory, const QString& path)
{
    if (!snapshot.dataset.path.empty())
        snapshot.dataset.path
            = QDir(projectDirectory).absoluteFilePath(QString::fromStdString(snapshot.dataset.path)).toStdString();
    QDir().mkpath(QFileInfo(path).absolutePath());
    try {
        engine::saveProjectFile(snapshot, path.toStdString());
    } catch (const std::exception&) {
        // Without it the run still trains; its gallery falls back to the current design.
    }
}

} // namespace

bool MainWindow::startTraining(const QString& resumeFrom)
{
    if (training_->isActive())
        return false;
    // A design with errors cannot train: show the list instead of a run that fails in the worker
    // (while inference is still catching up with an edit, the worker's own check decides).
    const editor::GraphDocument& document = session_->document();
    if (!document.inferencePending() && document.latestInference().hasErrors()) {
        const auto problems = document.latestInference().problems();
        const auto errors = std::count_if(problems.begin(), problems.end(), [](const auto& p) { return p.isError(); });
        const QString message = errors == 1 ? tr("Not training: the design has 1 error (see Problems)")
                                            : tr("Not training: the design has %1 errors (see Problems)").arg(errors);
        statusBar()->showMessage(message, 8000);
        log_->error(message);
        problemsRaiser_->trainingRefused();
        return false;
    }
    failureMark_->clear();
    const engine::Project snapshot = session_->project();
    const int number = runHistory_.nextNumber();
    const QString projectDirectory
        = session_->filePath().isEmpty() ? QDir::currentPath() : QFileInfo(session_->filePath()).absolutePath();
    const QString output = runFolder(number);
    writeRunSnapshot(snapshot, projectDirectory, runHistory_.snapshotPath(number));
    // As the project file writes them: one serializer for settings everywhere.
    const QJsonObject settings
        = QJsonDocument::fromJson(QByteArray::fromStdString(engine::serializeSettings(snapshot))).object();
    plot_->clear();
    plot_->setEpochs(int(snapshot.training.epochs));
    results_->clear();
    progress_->startRun(snapshot.training.epochs);
    startedRun_ = StartedRun { number, snapshot, projectDirectory, output };
    training_->setProcesses(trainingPanel_->processes(), trainingPanel_->gpus());
    if (!training_->start(snapshot, projectDirectory, output, resumeFrom, number, settings))
        return false;
    log_->info(resumeFrom.isEmpty() ? tr("Run %1 started (%2 epochs, batch %3, %4 on %5)")
                                          .arg(number)
                                          .arg(snapshot.training.epochs)
                                          .arg(snapshot.training.batchSize)
                                          .arg(QString::fromStdString(snapshot.training.optimizer),
                                              QString::fromStdString(snapshot.training.device))
                                    : tr("Run %1 resumes from %2").arg(number).arg(resumeFrom));
    docks_["plotsDock"]->raise();
    updateDesignNotice();
    return true;
}

void MainWindow::onBatch(const engine::SessionBatch& batch)
{
    const double position
        = double(batch.epoch - 1) + double(batch.batch) / double(std::max<int64_t>(1, batch.batchesPerEpoch));
    plot_->addBatch(position, batch.loss, batch.accuracy, batch.learningRate);
    if (training_->state() == TrainingController::State::Running)
        progress_->setBatch(batch.epoch, batch.epochs, batch.batch, batch.batchesPerEpoch, batch.samplesPerSecond);
}

void MainWindow::onEpoch(const engine::SessionEpoch& epoch)
{
    plot_->addEpoch(
        int(epoch.epoch), epoch.trainLoss, epoch.validationLoss, epoch.trainAccuracy, epoch.validationAccuracy);
    QString line = tr("Epoch %1/%2: loss %3").arg(epoch.epoch).arg(epoch.epochs).arg(epoch.trainLoss, 0, 'f', 4);
    if (epoch.trainAccuracy)
        line += tr(", accuracy %1 %").arg(*epoch.trainAccuracy * 100, 0, 'f', 1);
    if (epoch.validationLoss)
        line += tr(" · validation loss %1").arg(*epoch.validationLoss, 0, 'f', 4);
    if (epoch.validationAccuracy)
        line += tr(", accuracy %1 %").arg(*epoch.validationAccuracy * 100, 0, 'f', 1);
    log_->info(line + tr(" (%1 s)").arg(epoch.seconds, 0, 'f', 1));
}

void MainWindow::onTrainingError(const QString& message)
{
    // Failures before training began; the run's end (onRunFinished) reports them with the others.
    statusBar()->showMessage(message.section('\n', 0, 0), 8000);
}

void MainWindow::onRunFinished(const widgets::RunRecord& record)
{
    plot_->flush();
    // The project was saved under a new name while the run wrote into the old folder.
    if (startedRun_ && startedRun_->number == record.number
        && QFileInfo(startedRun_->outputDirectory) != QFileInfo(runFolder(record.number))) {
        QString error;
        if (!runHistory_.adopt(record.number, startedRun_->outputDirectory, &error))
            log_->error(error);
    }
    runHistory_.add(record);
    saveRunHistory();
    showHistory();
    results_->showRun(record);
    progress_->setStatus(tr("Run %1 %2 after %3 of %4 epochs")
                             .arg(record.number)
                             .arg(record.stopReason)
                             .arg(record.epochsCompleted)
                             .arg(record.settings["training"].toObject()["epochs"].toInt()));
    log_->info(tr("Run %1 ended: %2%3")
                   .arg(record.number)
                   .arg(record.stopReason)
                   .arg(record.testAccuracy ? tr(", test accuracy %1 %").arg(*record.testAccuracy * 100, 0, 'f', 1)
                                            : QString()));
    markRunFailure(&record, true);
    const bool failed = record.stopReason == QLatin1String("failed") || record.stopReason == QLatin1String("nan");
    if (failed) {
        log_->error(record.message);
        prompts_->showError(this, tr("Training failed"), record.message);
    } else {
        docks_["resultsDock"]->raise();
        showPredictions(record);
    }
    updateDesignNotice();
    Q_EMIT trainingFinished(record);
}

void MainWindow::updateDesignNotice()
{
    const QString runHash = training_->isActive() ? training_->runningGraphHash()
        : runHistory_.runs().empty()              ? QString()
                                                  : runHistory_.runs().back().graphHash;
    const bool changed = !runHash.isEmpty() && graphHashOf(session_->project()) != runHash;
    designNotice_->setText(training_->isActive() ? tr("Design changed since this run started; the run trains the "
                                                      "design as it was.")
                                                 : tr("Design changed since the last run."));
    designNotice_->setVisible(changed);
}

ExperimentWindow* MainWindow::showExperimentWindow()
{
    if (!experiment_) {
        experiment_ = new ExperimentWindow(session_->document(), this);
        connect(experiment_, &ExperimentWindow::trialRunEnded, this, &MainWindow::addExperimentRun);
        connect(experiment_, &ExperimentWindow::showRunRequested, this, &MainWindow::showRun);
        connect(experiment_, &ExperimentWindow::openProjectRequested, this, &MainWindow::openFile);
        connect(session_, &ProjectSession::filePathChanged, experiment_, &ExperimentWindow::setProjectPath);
    }
    experiment_->setProjectPath(session_->filePath());
    experiment_->show();
    experiment_->raise();
    experiment_->activateWindow();
    return experiment_;
}

void MainWindow::addExperimentRun(const QString& trialFolder, const engine::TrialRow& row)
{
    const int number = runHistory_.nextNumber();
    QString error;
    if (!copyTrialFiles(trialFolder, runHistory_.folder(number), &error))
        log_->error(error);
    runHistory_.add(trialRunRecord(trialFolder, row, number));
    saveRunHistory();
    showHistory();
    experiment_->setRunOfTrial(row.number, number);
    log_->info(tr("Experiment trial %1 ended (%2): run %3")
                   .arg(row.number)
                   .arg(QString::fromLatin1(engine::trialStatusName(row.status)))
                   .arg(number));
}

void MainWindow::showHistory()
{
    history_->setRuns(runHistory_.runs(), graphHashOf(session_->project()));
}

void MainWindow::showLatestRun()
{
    // Another project's runs ticked for comparison leave with it (the list keeps ticks by number).
    for (int number : history_->comparedRuns())
        history_->setCompared(number, false);
    plot_->clearComparisons();
    if (runHistory_.runs().empty()) {
        markRunFailure(nullptr, false);
        results_->clear();
        if (!training_->isActive()) {
            plot_->clear();
            progress_->showIdle(tr("No run yet — press Train to train %1.").arg(session_->displayName()));
        }
        return;
    }
    showRun(runHistory_.runs().back().number);
}

std::optional<engine::Project> MainWindow::runDesign(int number) const
{
    if (QFileInfo::exists(runHistory_.snapshotPath(number))) {
        try {
            return engine::loadProjectFile(runHistory_.snapshotPath(number).toStdString());
        } catch (const std::exception& failure) {
            log_->warning(
                tr("Cannot read the design of run %1: %2").arg(number).arg(QString::fromUtf8(failure.what())));
        }
    }
    // Runs from before snapshots were kept: the current design, when it is still the one they trained.
    const widgets::RunRecord* run = runHistory_.find(number);
    const engine::Project current = session_->project();
    if (run && run->graphHash == graphHashOf(current))
        return current;
    return std::nullopt;
}

void MainWindow::showPredictions(const widgets::RunRecord& run)
{
    widgets::PredictionGalleryWidget* gallery = results_->predictions();
    if (run.classNames.isEmpty()) {
        gallery->setMessage(tr("No sample predictions: run %1 did not classify.").arg(run.number));
        return;
    }
    if (const QString why = runHistory_.whyNoWeights(run.number); !why.isEmpty()) {
        gallery->setMessage(tr("No sample predictions. %1").arg(why));
        return;
    }
    const std::optional<engine::Project> design = runDesign(run.number);
    if (!design) {
        gallery->setMessage(tr("No sample predictions: the design run %1 trained was not kept.").arg(run.number));
        return;
    }
    // The snapshot's dataset path is absolute; a current design's resolves against the project.
    const QString directory
        = session_->filePath().isEmpty() ? QDir::currentPath() : QFileInfo(session_->filePath()).absolutePath();
    gallery->load(*design, directory, runHistory_.weightsPath(run.number));
}

void MainWindow::showRun(int number)
{
    const widgets::RunRecord* run = runHistory_.find(number);
    if (!run)
        return;
    results_->showRun(*run);
    showPredictions(*run);
    if (training_->isActive())
        return; // the live curves stay
    markRunFailure(run, false);
    const int epochs = run->settings["training"].toObject()["epochs"].toInt();
    progress_->showIdle(tr("Run %1 %2 after %3 of %4 epochs")
                            .arg(run->number)
                            .arg(run->stopReason)
                            .arg(run->epochsCompleted)
                            .arg(epochs),
        epochs > 0 ? double(run->epochsCompleted) / epochs : 0.0);
    // Replay the stored curves; per-batch accuracy and learning rate are not kept, so they stay empty.
    plot_->clear();
    plot_->setEpochs(run->epochsCompleted);
    for (const QPointF& point : run->batchLoss)
        plot_->addBatch(point.x(), point.y(), std::nullopt, std::numeric_limits<double>::quiet_NaN());
    auto valueAt = [](const QVector<QPointF>& points, double x) -> std::optional<double> {
        for (const QPointF& point : points)
            if (point.x() == x)
                return point.y();
        return std::nullopt;
    };
    for (const QPointF& point : run->trainLoss)
        plot_->addEpoch(int(point.x()), point.y(), valueAt(run->validationLoss, point.x()),
            valueAt(run->trainAccuracy, point.x()), valueAt(run->validationAccuracy, point.x()));
    plot_->flush();
}

void MainWindow::markRunFailure(const widgets::RunRecord* run, bool centre)
{
    // Only on the design the run trained: an edit since may have fixed what failed.
    if (!run || run->nonFiniteBlock.isEmpty() || run->graphHash != graphHashOf(session_->project())) {
        failureMark_->clear();
        return;
    }
    failureMark_->show({ run->nonFiniteBlock, run->nonFiniteRunBlock, run->nonFiniteDetail });
    if (!centre || failureMark_->markedBlock().isEmpty())
        return;
    if (editor::BlockItem* item = scene_->blockItem(failureMark_->markedBlock()))
        view_->centerOn(item);
    docks_["problemsDock"]->raise();
}

void MainWindow::resumeFromCheckpoint()
{
    QString suggestion = QFileInfo(session_->filePath()).absolutePath();
    if (!runHistory_.runs().empty())
        suggestion = runFolder(runHistory_.runs().back().number) + QStringLiteral("/checkpoint.pt");
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Resume from checkpoint"), suggestion, tr("Checkpoints (*.pt)"));
    if (!path.isEmpty())
        startTraining(path);
}

} // namespace netdraft::app
