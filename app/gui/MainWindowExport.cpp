// MainWindow: File ▸ Export (one action per registered export format) and exporting a run's weights from
// the run history. The export itself runs on ExportRunner's worker thread.

#include "app/gui/ExportRunner.h"
#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "engine/export/ExportFormat.h"
#include "engine/train/GraphFingerprint.h"
#include "widgets/LogWidget.h"
#include "widgets/RunHistoryWidget.h"

#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QProgressBar>
#include <QStandardPaths>
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
        action->setStatusTip(tr("Export %1: %2, with the weights of the latest run of this design (or the initial "
                                "weights)")
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
            action(exportActionName(format.name))->setEnabled(!running);
    });
    connect(exporter_, &ExportRunner::finished, this, &MainWindow::onExportFinished);

    QTreeWidget* runs = history_->tree();
    runs->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(runs, &QWidget::customContextMenuRequested, this, [this, runs](const QPoint& position) {
        const QTreeWidgetItem* item = runs->itemAt(position);
        if (!item)
            return;
        const int number = item->data(0, Qt::UserRole).toInt();
        QMenu menu(this);
        for (const engine::ExportFormatInfo& format : engine::exportFormats()) {
            QAction* entry = menu.addAction(tr("Export %1 of Run %2…").arg(titleOf(format)).arg(number));
            entry->setEnabled(!exporter_->isRunning() && QFileInfo::exists(runWeightsPath(number)));
            connect(entry, &QAction::triggered, this, [this, name = format.name, number] { askAndExport(name, number); });
        }
        menu.exec(runs->viewport()->mapToGlobal(position));
    });
}

QString MainWindow::runFolder(int number) const
{
    QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/runs/untitled";
    if (!session_->filePath().isEmpty()) {
        const QFileInfo file(session_->filePath());
        base = file.absolutePath() + "/" + file.completeBaseName() + ".runs";
    }
    return QStringLiteral("%1/run-%2").arg(base).arg(number);
}

QString MainWindow::runWeightsPath(int number) const
{
    return runFolder(number) + QStringLiteral("/weights.pt");
}

int MainWindow::latestRunOfThisDesign() const
{
    const QString hash = QString::fromStdString(engine::graphFingerprint(session_->project().graph));
    const auto& runs = runHistory_.runs();
    for (auto run = runs.rbegin(); run != runs.rend(); ++run)
        if (run->graphHash == hash && QFileInfo::exists(runWeightsPath(run->number)))
            return run->number;
    return 0;
}

void MainWindow::askAndExport(const std::string& formatName, int runNumber)
{
    const engine::ExportFormatInfo& format = engine::exportFormat(formatName);
    const QFileInfo project(session_->filePath());
    const QString folder = session_->filePath().isEmpty() ? QDir::homePath() : project.absolutePath();
    const QString base = session_->filePath().isEmpty() ? QStringLiteral("untitled") : project.completeBaseName();
    const QString suggestion
        = folder + "/" + base + (runNumber > 0 ? QStringLiteral("-run%1").arg(runNumber) : "")
        + QString::fromStdString(format.suggestedSuffix);
    const QString path = prompts_->askExportPath(
        this, tr("Export %1").arg(titleOf(format)), suggestion, QString::fromStdString(format.fileFilter));
    if (!path.isEmpty())
        exportNetwork(formatName, path, runNumber);
}

bool MainWindow::exportNetwork(const std::string& format, const QString& outputPath, int runNumber)
{
    if (exporter_->isRunning())
        return false;
    engine::ExportRequest request;
    request.project = session_->project();
    request.projectDirectory = session_->filePath().isEmpty()
        ? QDir::currentPath().toStdString()
        : QFileInfo(session_->filePath()).absolutePath().toStdString();
    request.format = format;
    request.outputPath = outputPath.toStdString();
    const int run = runNumber > 0 ? runNumber : latestRunOfThisDesign();
    if (run > 0)
        request.weightsPath = runWeightsPath(run).toStdString();
    log_->info(run > 0 ? tr("Exporting %1 with the weights of run %2 to %3")
                             .arg(titleOf(engine::exportFormat(format)))
                             .arg(run)
                             .arg(outputPath)
                       : tr("Exporting %1 with the initial (untrained) weights to %2: no run of this design has "
                            "weights")
                             .arg(titleOf(engine::exportFormat(format)), outputPath));
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
