// MainWindow: File ▸ Open and File ▸ Import Model… for model files of a registered import format
// (engine/import/ImportFormat.h). The import runs on ModelImportRunner's worker; its result becomes a
// new untitled project named after the model, with the model's weights as its starting weights.

#include "app/gui/ImportsFolder.h"
#include "app/gui/MainWindow.h"
#include "app/gui/ModelImportRunner.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/SettingKey.h"
#include "app/gui/TrainingController.h"
#include "editor/GraphDocument.h"
#include "editor/GraphView.h"
#include "engine/import/ImportFormat.h"
#include "engine/import/ImportService.h"
#include "widgets/LogWidget.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QProgressBar>
#include <QStatusBar>
#include <QUndoStack>

namespace netdraft::app {

namespace {
const SettingKey<QString> kLastInputShape { "import/inputShape" };

/// The engine's error asks for the input shape (TorchScript files do not carry one).
bool asksForInputShape(const QString& message)
{
    return message.contains(QLatin1String("input sample"), Qt::CaseInsensitive)
        || message.contains(QLatin1String("give the input shape"), Qt::CaseInsensitive);
}
} // namespace

void MainWindow::createImportActions()
{
    importer_ = new ModelImportRunner(this);
    QAction* import = addAction("fileImport", tr("&Import Model…"), QKeySequence(Qt::CTRL | Qt::Key_I));
    QStringList titles;
    for (const engine::ImportFormatInfo& format : engine::importFormats())
        titles << QString::fromStdString(format.title);
    import->setStatusTip(
        tr("Open a model made elsewhere (%1) as a new project with its weights").arg(titles.join(", ")));
    connect(import, &QAction::triggered, this, [this] {
        if (importer_->isRunning() || !canReplaceProject())
            return;
        const QString path = prompts_->askImportPath(this, QFileInfo(session_->filePath()).absolutePath());
        if (!path.isEmpty())
            askAndImport(path);
    });
    importBusy_ = new QProgressBar;
    importBusy_->setObjectName(QStringLiteral("importBusy"));
    importBusy_->setRange(0, 0); // busy: an import reports no steps
    importBusy_->setMaximumWidth(200);
    importBusy_->setFormat(tr("Importing…"));
    importBusy_->setTextVisible(true);
    importBusy_->hide();
    statusBar()->addPermanentWidget(importBusy_);
    connect(importer_, &ModelImportRunner::runningChanged, this, [this](bool running) {
        importBusy_->setVisible(running);
        action("fileImport")->setEnabled(!running);
        action("fileOpen")->setEnabled(!running);
    });
    connect(importer_, &ModelImportRunner::finished, this, &MainWindow::onImportFinished);

    // An import's folder goes once nothing names it: saved beside the project, replaced, discarded.
    connect(session_, &ProjectSession::projectReplaced, this, &MainWindow::removeUnusedImports);
    connect(session_, &ProjectSession::filePathChanged, this, &MainWindow::removeUnusedImports);
    connect(session_, &ProjectSession::modifiedChanged, this, &MainWindow::removeUnusedImports);
    connect(session_, &ProjectSession::autosaved, this, &MainWindow::removeUnusedImports);
    // Imports of sessions that ended without cleaning up (a crash), a day old and named by nothing.
    importsFolder::removeStale(ModelImportRunner::importsFolder(), QDateTime::currentDateTime().addDays(-1),
        importsFolder::weightsNamedBy(recentFiles()));
}

void MainWindow::removeUnusedImports()
{
    if (importer_->folders().isEmpty())
        return;
    QStringList inUse = importsFolder::weightsNamedBy(recentFiles());
    const QString weights = session_->initialWeightsFile();
    if (!weights.isEmpty())
        inUse << QFileInfo(weights).absoluteFilePath();
    importer_->removeUnusedFolders(inUse);
}

bool MainWindow::openFile(const QString& path)
{
    if (!engine::importFormatForFile(path.toStdString()))
        return openProject(path);
    if (importer_->isRunning())
        return false;
    askAndImport(path);
    return true;
}

bool MainWindow::openOnStart(const QString& path)
{
    if (!engine::importFormatForFile(path.toStdString()))
        return openProject(path);
    newProject(); // what an import replaces, and what a cancelled or failed one leaves
    if (!openFile(path) || !importer_->isRunning()) {
        showStartPage();
        return false;
    }
    // A failed import that asks for the input shape again is still running: wait for its end.
    auto* connection = new QMetaObject::Connection;
    *connection = connect(this, &MainWindow::modelImported, this, [this, connection](bool ok) {
        if (importer_->isRunning())
            return;
        disconnect(*connection);
        delete connection;
        if (!ok)
            showStartPage();
    });
    return true;
}

void MainWindow::askAndImport(const QString& path, const QString& reason)
{
    const engine::ImportFormatInfo* format = engine::importFormatForFile(path.toStdString());
    if (!format) {
        prompts_->showError(this, tr("Cannot import"),
            tr("%1: no import format reads this kind of file.").arg(QDir::toNativeSeparators(path)));
        return;
    }
    const std::optional<std::string> exported = engine::exportedProjectName(path.toStdString());
    const std::optional<QString> shape = prompts_->askImport(this, path, QString::fromStdString(format->title),
        format->runsCode, reason.isEmpty() && !exported ? kLastInputShape.get() : QString(), reason,
        exported ? QString::fromStdString(*exported) : QString());
    if (!shape)
        return;
    if (!ModelImportRunner::parseShape(*shape)) {
        askAndImport(path, tr("\u201c%1\u201d is not a shape: give sizes like 3,224,224.").arg(*shape));
        return;
    }
    if (!shape->isEmpty())
        kLastInputShape.set(*shape);
    importModelFile(path, *shape);
}

bool MainWindow::importModelFile(
    const QString& path, const QString& inputShape, bool keepUnsupported, bool restoreProject)
{
    const std::optional<std::vector<int64_t>> shape = ModelImportRunner::parseShape(inputShape);
    if (!shape || !importer_->start(path, *shape, keepUnsupported, restoreProject))
        return false;
    importingKeepsUnsupported_ = keepUnsupported;
    importingRestores_ = restoreProject;
    importingPath_ = QFileInfo(path).absoluteFilePath();
    importingShape_ = inputShape;
    const engine::ImportFormatInfo* format = engine::importFormatForFile(path.toStdString());
    log_->info(tr("Importing %1 (%2)%3")
                   .arg(importingPath_, format ? QString::fromStdString(format->title) : tr("unknown format"),
                       inputShape.isEmpty() ? QString() : tr(", input shape %1").arg(inputShape)));
    statusBar()->showMessage(tr("Importing %1…").arg(QFileInfo(path).fileName()));
    return true;
}

void MainWindow::onImportFinished(bool ok, const QString& message)
{
    statusBar()->clearMessage();
    if (!ok) {
        log_->error(tr("Import failed: %1").arg(message));
        if (importingShape_.isEmpty() && asksForInputShape(message)) {
            askAndImport(importingPath_, message); // the one question the user can answer
        } else if (!importingKeepsUnsupported_
            && message.contains(QLatin1String("no Netdraft block, so nothing was imported"))
            && prompts_->askKeepUnsupported(this, QFileInfo(importingPath_).fileName(), message)) {
            importModelFile(importingPath_, importingShape_, true, importingRestores_);
        } else if (importingRestores_ && message.contains(QLatin1String("Import the network alone instead"))
            && prompts_->askImportNetworkAlone(this, QFileInfo(importingPath_).fileName(), message)) {
            importModelFile(importingPath_, importingShape_, importingKeepsUnsupported_, false);
        } else {
            prompts_->showError(this, tr("Cannot import %1").arg(QFileInfo(importingPath_).fileName()),
                tr("Nothing was imported.\n\n%1").arg(message));
        }
        Q_EMIT modelImported(false);
        return;
    }
    const engine::ImportReport& report = *importer_->report();
    // The question about unsaved work came before the import; a run may have started since.
    if (training_->isActive()) {
        prompts_->showError(this, tr("A run is going"),
            tr("%1 was imported, but a run of %2 is going: stop it and import again.")
                .arg(QFileInfo(importingPath_).fileName(), session_->displayName()));
        removeUnusedImports();
        Q_EMIT modelImported(false);
        return;
    }
    session_->reset(report.project, QString(), true);
    editor::GraphDocument& document = session_->document();
    if (!report.restoredProject) {
        // The import lays its blocks out in one long row, and each composite's inside too: rows shaped for
        // this canvas instead, as Auto-Layout makes them (shown from the Input, every edge's shape readable),
        // as part of the import, not an undo step. A Netdraft export's project keeps the user's layout.
        for (const engine::CompositeDefinition& definition : document.project().graph.composites()) {
            document.openComposite(QString::fromStdString(definition.name));
            view_->action(QStringLiteral("autoLayout"))->trigger();
        }
        document.closeComposite();
        view_->action(QStringLiteral("autoLayout"))->trigger();
    }
    document.undoStack()->clear();
    document.undoStack()->resetClean();
    int blocks = 0;
    for (const auto& [type, count] : report.blockCounts)
        blocks += count;
    if (report.restoredProject) {
        afterNewProject(tr("Opened %1 as the project it was exported from, \u201c%2\u201d: %3 blocks, %4 parameters; "
                           "its weights are the starting weights (in %5)")
                            .arg(importingPath_, QString::fromStdString(report.project.name))
                            .arg(blocks)
                            .arg(report.parameterCount)
                            .arg(QString::fromStdString(report.weightsPath)));
        for (const std::string& note : report.notes)
            log_->info(tr("Note: %1").arg(QString::fromStdString(note)));
        statusBar()->showMessage(tr("Opened the project inside %1: save it to keep it and its weights")
                                     .arg(QFileInfo(importingPath_).fileName()),
            8000);
        Q_EMIT modelImported(true);
        return;
    }
    afterNewProject(tr("Imported %1: %2 blocks (%3 composite blocks, %4 definitions), %5 parameters; starting weights "
                       "in %6")
                        .arg(importingPath_)
                        .arg(blocks)
                        .arg(report.compositeInstances)
                        .arg(report.project.graph.composites().size())
                        .arg(report.parameterCount)
                        .arg(QString::fromStdString(report.weightsPath)));
    for (const std::string& note : report.notes)
        log_->info(tr("Note: %1").arg(QString::fromStdString(note)));
    statusBar()->showMessage(
        tr("Imported %1: save it to keep the project and its weights").arg(QFileInfo(importingPath_).fileName()), 8000);
    Q_EMIT modelImported(true);
}

} // namespace netdraft::app
