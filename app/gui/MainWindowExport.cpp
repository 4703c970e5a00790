// MainWindow: File ▸ Export (one action per registered export format) and exporting a run's weights from
// the run history. The export itself runs on ExportRunner's worker thread.

#include "app/gui/ActionState.h"
#include "app/gui/ExportRunner.h"
#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/TrainingController.h"
#include "engine/export/ExportFormat.h"
#include "engine/export/ExportService.h"
#include "engine/train/GraphFingerprint.h"
#include "widgets/LogWidget.h"
#include "widgets/RunHistoryWidget.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QProgressBar>
#include <QStatusBar>
#include <QTreeWidget>

namespace netdraft::app {

namespace {

QString titleOf(const engine::ExportFormatInfo& format)
{
    return QString::fromStdString(format.title);
}

} // namespace

QString MainWindow::exportActionName(const std::string& format)
{
    return QStringLiteral("export_") + QString::fromStdString(format);
}

void MainWindow::createExportActions()
{
    exporter_ = new ExportRunner(this);
    for (const engine::ExportFormatInfo& format : engine::exportFormats()) {
        QAction* action = addAction(exportActionName(format.name), titleOf(format) + QStringLiteral("…"));
        action->setStatusTip(tr("Export %1: %2, with the weights of the latest run of this design (asks first when "
                                "there is none; the Export menu says which weights)")
                                 .arg(titleOf(format), QString::fromStdString(format.description)));
        connect(action, &QAction::triggered, this, [this, name = format.name] { askAndExport(name, 0); });
    }
    exportBusy_ = new QProgressBar;
    exportBusy_->setObjectName(QStringLiteral("exportBusy"));
    exportBusy_->setRange(0, 0); // busy: no known progress
    exportBusy_->setMaximumWidth(160);
    exportBusy_->setFormat(tr("Exporting…"));
    exportBusy_->setTextVisible(true);
    exportBusy_->hide();
    statusBar()->addPermanentWidget(exportBusy_);
    connect(exporter_, &ExportRunner::runningChanged, this, [this](bool running) {
        exportBusy_->setVisible(running);
        for (const engine::ExportFormatInfo& format : engine::exportFormats())
            setEnabledOrExplain(action(exportActionName(format.name)), !running,
                tr("Another export is running: wait for it to finish"));
    });
    connect(exporter_, &ExportRunner::finished, this, &MainWindow::onExportFinished);

    QTreeWidget* runs = history_->tree();
    runs->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(runs, &QWidget::customContextMenuRequested, this, [this, runs](const QPoint& position) {
        const QTreeWidgetItem* item = runs->itemAt(position);
        if (!item)
            return;
        const std::unique_ptr<QMenu> menu = runMenu(item->data(0, Qt::UserRole).toInt());
        menu->exec(runs->viewport()->mapToGlobal(position));
    });
}

std::unique_ptr<QMenu> MainWindow::runMenu(int number)
{
    auto menu = std::make_unique<QMenu>(this);
    menu->setToolTipsVisible(true); // a greyed-out entry says why
    const QString whyNot = exporter_->isRunning() ? tr("Another export is running: wait for it to finish")
                                                  : runHistory_.whyNoWeights(number);
    for (const engine::ExportFormatInfo& format : engine::exportFormats()) {
        QAction* entry = menu->addAction(tr("Export %1 of Run %2…").arg(titleOf(format)).arg(number));
        setEnabledOrExplain(entry, whyNot.isEmpty(), whyNot);
        connect(entry, &QAction::triggered, this, [this, name = format.name, number] { askAndExport(name, number); });
    }
    return menu;
}

QString MainWindow::runFolder(int number) const
{
    return runHistory_.folder(number);
}

QString MainWindow::runWeightsPath(int number) const
{
    return runHistory_.weightsPath(number);
}

int MainWindow::latestRunOfThisDesign() const
{
    const QString hash = QString::fromStdString(engine::graphFingerprint(session_->project().graph));
    const auto& runs = runHistory_.runs();
    for (auto run = runs.rbegin(); run != runs.rend(); ++run)
        if (run->graphHash == hash && runHistory_.whyNoWeights(run->number).isEmpty())
            return run->number;
    return 0;
}

void MainWindow::askAndExport(const std::string& formatName, int runNumber)
{
    const engine::ExportFormatInfo& format = engine::exportFormat(formatName);
    if (runNumber == 0 && latestRunOfThisDesign() == 0) {
        // Nothing trained for this design: ask before writing untrained weights.
        std::vector<int> numbers;
        QStringList runs;
        for (auto run = runHistory_.runs().rbegin(); run != runHistory_.runs().rend(); ++run) {
            if (!runHistory_.whyNoWeights(run->number).isEmpty())
                continue;
            numbers.push_back(run->number);
            runs << tr("Run %1 (%2, %3 epochs%4)")
                        .arg(run->number)
                        .arg(run->started.toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                        .arg(run->epochsCompleted)
                        .arg(run->testAccuracy ? tr(", test accuracy %1 %").arg(*run->testAccuracy * 100, 0, 'f', 1)
                                               : QString());
        }
        using Kind = Prompts::UntrainedExportChoice::Kind;
        const engine::ExportRequest request = exportRequest(0);
        const Prompts::UntrainedExportChoice choice = prompts_->askExportUntrained(this,
            tr("Export %1").arg(titleOf(format)), QString::fromStdString(engine::exportWeightsSource(request)),
            !request.project.initialWeights.empty(), runs);
        switch (choice.kind) {
        case Kind::Cancel:
            return;
        case Kind::Train:
            if (startTraining())
                log_->info(tr("Export again when the run has finished."));
            return;
        case Kind::UseRun:
            if (choice.runIndex < 0 || choice.runIndex >= int(numbers.size()))
                return;
            runNumber = numbers[size_t(choice.runIndex)];
            break;
        case Kind::InitialWeights:
            break;
        }
    }
    const QFileInfo project(session_->filePath());
    const QString folder = session_->filePath().isEmpty() ? QDir::homePath() : project.absolutePath();
    const QString base = session_->filePath().isEmpty() ? QStringLiteral("untitled") : project.completeBaseName();
    const QString suggestion = folder + "/" + base + (runNumber > 0 ? QStringLiteral("-run%1").arg(runNumber) : "")
        + QString::fromStdString(format.suggestedSuffix);
    const QString path = prompts_->askExportPath(
        this, tr("Export %1").arg(titleOf(format)), suggestion, QString::fromStdString(format.fileFilter));
    if (!path.isEmpty())
        exportNetwork(formatName, path, runNumber);
}

engine::ExportRequest MainWindow::exportRequest(int runNumber) const
{
    engine::ExportRequest request;
    // A chosen run exports the design it trained (its weights fit no other); File ▸ Export the current one.
    const std::optional<engine::Project> design = runNumber > 0 ? runDesign(runNumber) : std::nullopt;
    request.project = design ? *design : session_->project();
    request.projectDirectory = session_->filePath().isEmpty()
        ? QDir::currentPath().toStdString()
        : QFileInfo(session_->filePath()).absolutePath().toStdString();
    if (session_->filePath().isEmpty() && !request.project.initialWeights.empty()) // untitled: where it is now
        request.project.initialWeights = session_->initialWeightsFile().toStdString();
    const int run = runNumber > 0 ? runNumber : latestRunOfThisDesign();
    if (run > 0) {
        request.weightsPath = runWeightsPath(run).toStdString();
        const widgets::RunRecord* record = runHistory_.find(run);
        QString origin = tr("run %1").arg(run);
        if (record)
            origin
                += tr(" (%1%2)")
                       .arg(record->epochsCompleted == 1 ? tr("1 epoch") : tr("%1 epochs").arg(record->epochsCompleted))
                       .arg(record->testAccuracy
                               ? tr(", test accuracy %1 %").arg(*record->testAccuracy * 100, 0, 'f', 1)
                               : QString());
        request.weightsOrigin = origin.toStdString();
    }
    return request;
}

QString MainWindow::exportWeightsLine() const
{
    return QString::fromStdString(engine::exportWeightsSource(exportRequest(0)));
}

void MainWindow::updateExportMenu(QMenu* menu)
{
    QAction* header = menu->findChild<QAction*>(QStringLiteral("exportWeightsSource"));
    if (!header) {
        header = new QAction(menu);
        header->setObjectName(QStringLiteral("exportWeightsSource"));
        header->setEnabled(false);
        QAction* first = menu->actions().value(0);
        menu->insertAction(first, header);
        menu->insertSeparator(first);
    }
    const QString line = exportWeightsLine();
    header->setText(line);
    for (const engine::ExportFormatInfo& format : engine::exportFormats())
        if (QAction* entry = action(exportActionName(format.name)))
            entry->setToolTip(tr("%1: %2").arg(titleOf(format), line));
}

bool MainWindow::exportNetwork(const std::string& format, const QString& outputPath, int runNumber)
{
    if (exporter_->isRunning())
        return false;
    engine::ExportRequest request = exportRequest(runNumber);
    request.format = format;
    request.outputPath = outputPath.toStdString();
    log_->info(tr("Exporting %1 to %2. %3.")
                   .arg(titleOf(engine::exportFormat(format)), outputPath,
                       QString::fromStdString(engine::exportWeightsSource(request))));
    if (!exporter_->start(std::move(request)))
        return false;
    statusBar()->showMessage(tr("Exporting to %1…").arg(outputPath));
    return true;
}

void MainWindow::onExportFinished(bool ok, const QString& message, const QStringList& notes, const QStringList& files)
{
    for (const QString& note : notes)
        log_->info(note);
    if (!ok) {
        log_->error(tr("Export failed: %1").arg(message));
        prompts_->showError(this, tr("Export failed"), message);
        return;
    }
    log_->info(tr("Exported %1").arg(files.join(QStringLiteral(", "))));
    statusBar()->showMessage(tr("Exported %1").arg(files.value(0)), 6000);
    prompts_->showInformation(this, tr("Export finished"),
        tr("Wrote:\n%1%2").arg(files.join('\n'), notes.isEmpty() ? QString() : "\n\n" + notes.join('\n')));
}

} // namespace netdraft::app
