// MainWindow: training runs, their live display and their history.

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/TrainingController.h"
#include "engine/train/GraphFingerprint.h"
#include "widgets/LogWidget.h"
#include "widgets/RunHistoryWidget.h"
#include "widgets/TrainingPlotWidget.h"
#include "widgets/TrainingProgressWidget.h"
#include "widgets/PredictionGalleryWidget.h"
#include "widgets/TrainingResultsWidget.h"

#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QLabel>
#include <QStatusBar>

#include <limits>

namespace netdraft::app {

namespace {

QJsonValue toJson(const engine::ParamValue& value)
{
    return std::visit(
        [](const auto& item) -> QJsonValue {
            using Item = std::decay_t<decltype(item)>;
            if constexpr (std::is_same_v<Item, engine::Auto>)
                return QStringLiteral("auto");
            else if constexpr (std::is_same_v<Item, bool> || std::is_same_v<Item, double>)
                return item;
            else if constexpr (std::is_same_v<Item, int64_t>)
                return qint64(item);
            else if constexpr (std::is_same_v<Item, std::string>)
                return QString::fromStdString(item);
            else {
                QJsonArray array;
                for (const auto& element : item)
                    array.append(double(element));
                return array;
            }
        },
        value);
}

template <typename Settings> QJsonObject settingsToJson(const Settings& settings)
{
    QJsonObject object;
    for (const auto& field : Settings::fields())
        object[QString::fromStdString(field.spec.name)] = toJson(field.get(settings));
    return object;
}

QString graphHashOf(const engine::Project& project)
{
    return QString::fromStdString(engine::graphFingerprint(project.graph));
}

} // namespace

bool MainWindow::startTraining(const QString& resumeFrom)
{
    if (training_->isActive())
        return false;
    const engine::Project snapshot = session_->project();
    const int number = runHistory_.nextNumber();
    const QString projectDirectory = session_->filePath().isEmpty() ? QDir::currentPath()
                                                                    : QFileInfo(session_->filePath()).absolutePath();
    const QString output = runFolder(number);
    const QJsonObject settings { { "dataset", settingsToJson(snapshot.dataset) },
        { "training", settingsToJson(snapshot.training) } };
    plot_->clear();
    plot_->setEpochs(int(snapshot.training.epochs));
    results_->clear();
    progress_->startRun(snapshot.training.epochs);
    startedRun_ = StartedRun { snapshot, projectDirectory, output };
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
    const bool failed = record.stopReason == QLatin1String("failed") || record.stopReason == QLatin1String("nan");
    if (failed) {
        log_->error(record.message);
        prompts_->showError(this, tr("Training failed"), record.message);
    } else {
        docks_["resultsDock"]->raise();
        // The gallery of test predictions runs the run's final weights on its snapshot's test part.
        const QString weights = startedRun_ ? startedRun_->outputDirectory + QStringLiteral("/weights.pt") : QString();
        if (!record.classNames.isEmpty() && QFileInfo::exists(weights))
            results_->predictions()->load(startedRun_->snapshot, startedRun_->projectDirectory, weights);
        else
            results_->predictions()->setMessage(tr("No sample predictions for this run."));
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

void MainWindow::showHistory()
{
    history_->setRuns(runHistory_.runs(), graphHashOf(session_->project()));
}

void MainWindow::showRun(int number)
{
    const widgets::RunRecord* run = runHistory_.find(number);
    if (!run)
        return;
    results_->showRun(*run);
    if (number != runHistory_.runs().back().number)
        results_->predictions()->setMessage(tr("Sample predictions are shown for the latest run."));
    if (training_->isActive())
        return; // the live curves stay
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

void MainWindow::resumeFromCheckpoint()
{
    QString suggestion = QFileInfo(session_->filePath()).absolutePath();
    if (!runHistory_.runs().empty() && !session_->filePath().isEmpty()) {
        const QFileInfo file(session_->filePath());
        suggestion = QStringLiteral("%1/%2.runs/run-%3/checkpoint.pt")
                         .arg(file.absolutePath(), file.completeBaseName())
                         .arg(runHistory_.runs().back().number);
    }
    const QString path
        = QFileDialog::getOpenFileName(this, tr("Resume from checkpoint"), suggestion, tr("Checkpoints (*.pt)"));
    if (!path.isEmpty())
        startTraining(path);
}

} // namespace netdraft::app
