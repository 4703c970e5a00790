// MainWindow: new, open, save, recovery, the start view and the project's run history.

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/TrainingController.h"
#include "editor/GraphDocument.h"
#include "editor/GraphView.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/io/ProjectFormat.h"
#include "widgets/DatasetWidget.h"
#include "widgets/LogWidget.h"
#include "widgets/RunHistoryWidget.h"
#include "widgets/StartPage.h"
#include "widgets/TrainingSettingsWidget.h"

#include <QCoreApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QUndoStack>

namespace netdraft::app {

QStringList MainWindow::templatePaths()
{
    // An installed build looks next to its binary; a build tree uses the source's projects/.
    const QStringList folders { qEnvironmentVariable("NETDRAFT_TEMPLATES"),
        QCoreApplication::applicationDirPath() + "/../share/netdraft/projects",
        QStringLiteral(NETDRAFT_SOURCE_DIR "/projects") };
    for (const QString& folder : folders) {
        if (folder.isEmpty())
            continue;
        const QDir dir(folder);
        const QStringList names = dir.entryList({ QStringLiteral("*.netdraft") }, QDir::Files, QDir::Name);
        if (names.isEmpty())
            continue;
        QStringList paths;
        for (const QString& name : names)
            paths << dir.absoluteFilePath(name);
        return paths;
    }
    return {};
}

void MainWindow::createStartPage()
{
    centre_ = new QStackedWidget(this);
    centre_->addWidget(view_);
    startPage_ = new widgets::StartPage;
    centre_->addWidget(startPage_);
    setCentralWidget(centre_);
    auto showCanvas = [this] { centre_->setCurrentWidget(view_); };
    connect(startPage_, &widgets::StartPage::blankChosen, this, showCanvas);
    connect(startPage_, &widgets::StartPage::openChosen, this, [this] { action("fileOpen")->trigger(); });
    connect(startPage_, &widgets::StartPage::importChosen, this, [this] { action("fileImport")->trigger(); });
    connect(startPage_, &widgets::StartPage::templateChosen, this, [this](const QString& path) {
        if (canReplaceProject())
            newFromTemplate(path);
    });
    connect(startPage_, &widgets::StartPage::recentChosen, this, [this](const QString& path) {
        if (canReplaceProject())
            openProject(path);
    });
    // Any edit (a layer double-clicked in the palette) or another project brings the canvas back.
    connect(session_->document().undoStack(), &QUndoStack::indexChanged, this, showCanvas);
    connect(session_, &ProjectSession::filePathChanged, this, showCanvas);
}

void MainWindow::refreshStartPage()
{
    QList<widgets::StartPage::Entry> templates;
    for (const QString& path : templatePaths()) {
        widgets::StartPage::Entry entry { path, QFileInfo(path).completeBaseName().replace('_', ' '), {} };
        try {
            const engine::Project project = engine::loadProjectFile(path.toStdString());
            entry.title = QString::fromStdString(project.name);
            // The first sentence says what it is; the file holds the rest. A sentence ends at a full
            // stop before a capital, not inside a quoted example ("ada sees bob at noon. ").
            entry.detail = QString::fromStdString(project.description)
                               .section(QRegularExpression(QStringLiteral("\\.\\s+(?=[A-Z])")), 0, 0);
            if (entry.detail.size() > 140)
                entry.detail = entry.detail.left(139) + QStringLiteral("…");
        } catch (const std::exception& failure) {
            entry.detail = QString::fromUtf8(failure.what()).section('\n', 0, 0);
        }
        templates << entry;
    }
    startPage_->setTemplates(templates);
    QList<widgets::StartPage::Entry> recent;
    for (const QString& path : recentFiles())
        if (QFileInfo::exists(path))
            recent << widgets::StartPage::Entry { path, QFileInfo(path).fileName(), QFileInfo(path).absolutePath() };
    startPage_->setRecentFiles(recent);
}

void MainWindow::showStartPage()
{
    refreshStartPage();
    centre_->setCurrentWidget(startPage_);
    startPage_->blankButton()->setFocus();
}

bool MainWindow::isStartPageShown() const
{
    return centre_->currentWidget() == startPage_;
}

bool MainWindow::openProject(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QString error;
    if (!session_->open(absolute, &error)) {
        log_->error(tr("Cannot open %1:\n%2").arg(absolute, error));
        prompts_->showLoadErrors(this, absolute, error);
        return false;
    }
    log_->info(tr("Opened %1").arg(absolute));
    addRecentFile(absolute);
    loadRunHistory();
    const QString recovery = ProjectSession::newerRecoveryFor(absolute);
    if (!recovery.isEmpty()) {
        if (prompts_->askRestoreRecovery(this, session_->displayName(), QFileInfo(recovery).lastModified())) {
            try {
                session_->reset(engine::loadProjectFile(recovery.toStdString()), absolute, true);
                log_->info(tr("Restored unsaved changes from %1").arg(recovery));
            } catch (const std::exception& failure) {
                prompts_->showError(this, tr("Cannot restore"), QString::fromUtf8(failure.what()));
            }
        } else {
            QFile::remove(recovery);
        }
    }
    return true;
}

void MainWindow::newProject()
{
    engine::Project project;
    engine::GraphBuilder builder;
    builder.input({ 3, 32, 32 }).output();
    project.graph = builder.graph();
    // Room between the two for the layers the user drops onto the wire.
    project.graph.block("output").position = { 600, 0 };
    session_->reset(std::move(project), QString());
    afterNewProject(tr("New blank project"));
}

bool MainWindow::newFromTemplate(const QString& templatePath)
{
    try {
        engine::Project project = engine::loadProjectFile(templatePath.toStdString());
        // The copy is the user's project: it is named after the file it is first saved as.
        project.name.clear();
        session_->reset(std::move(project), QString());
    } catch (const std::exception& failure) {
        prompts_->showLoadErrors(this, templatePath, QString::fromUtf8(failure.what()));
        return false;
    }
    afterNewProject(tr("New project from template %1").arg(QFileInfo(templatePath).fileName()));
    return true;
}

void MainWindow::afterNewProject(const QString& logLine)
{
    runHistory_.startUntitled(false);
    showHistory();
    showLatestRun();
    updateDesignNotice();
    centre_->setCurrentWidget(view_);
    log_->info(logLine);
}

bool MainWindow::save()
{
    if (session_->filePath().isEmpty())
        return saveAs();
    return saveAs(session_->filePath());
}

bool MainWindow::saveAs(const QString& requestedPath)
{
    QString path = requestedPath;
    if (path.isEmpty()) {
        QString name = QString::fromStdString(session_->project().name).replace(' ', '_').toLower();
        if (name.isEmpty())
            name = QStringLiteral("untitled");
        const QString folder = session_->filePath().isEmpty()
            ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
            : QFileInfo(session_->filePath()).absolutePath();
        path = prompts_->askSavePath(this, QDir(folder).filePath(name + ".netdraft"));
        if (path.isEmpty())
            return false;
    }
    QString error;
    if (!session_->save(path, &error)) {
        log_->error(error);
        prompts_->showError(this, tr("Cannot save"), error);
        return false;
    }
    // The runs belong to the project: an untitled project's runs move into "<name>.runs/".
    QString runsError;
    const int writing = training_->isActive() && startedRun_ ? startedRun_->number : 0;
    if (!runHistory_.saveAs(session_->filePath(), writing, &runsError)) {
        log_->error(runsError);
        prompts_->showError(this, tr("Runs not saved with the project"), runsError);
    }
    addRecentFile(session_->filePath());
    statusBar()->showMessage(tr("Saved %1").arg(session_->filePath()), 4000);
    return true;
}

bool MainWindow::confirmDiscard()
{
    // Runs of a project never saved live only in the app data: they are unsaved work too.
    const int unsavedRuns = session_->filePath().isEmpty() ? int(runHistory_.runs().size()) : 0;
    if (!session_->isModified() && unsavedRuns == 0)
        return true;
    const QString name = unsavedRuns == 0 ? session_->displayName()
        : unsavedRuns == 1                ? tr("%1 (with 1 training run)").arg(session_->displayName())
                           : tr("%1 (with %2 training runs)").arg(session_->displayName()).arg(unsavedRuns);
    switch (prompts_->askSaveChanges(this, name)) {
    case Prompts::SaveChoice::Save:
        return save();
    case Prompts::SaveChoice::Discard:
        session_->removeRecovery();
        if (unsavedRuns > 0 && !training_->isActive()) {
            runHistory_.startUntitled(true); // deletes their folders
            showHistory();
        }
        return true;
    case Prompts::SaveChoice::Cancel:
        break;
    }
    return false;
}

bool MainWindow::canReplaceProject()
{
    if (training_->isActive()) {
        prompts_->showError(this, tr("A run is going"),
            tr("Stop the run (Train ▸ Stop) before opening or starting another project: the run belongs to %1.")
                .arg(session_->displayName()));
        return false;
    }
    return confirmDiscard();
}

void MainWindow::loadRunHistory()
{
    QString error;
    if (!runHistory_.load(session_->filePath(), &error))
        log_->warning(error);
    showHistory();
    showLatestRun();
    updateDesignNotice();
    if (!runHistory_.runs().empty())
        docks_["resultsDock"]->raise();
}

void MainWindow::saveRunHistory()
{
    QString error;
    if (!runHistory_.save(&error))
        log_->warning(error);
}

void MainWindow::refreshSettingsPanels()
{
    datasetPanel_->setDataset(session_->project().dataset);
    trainingPanel_->setSettings(session_->project().training);
    refreshDatasetPreview();
}

void MainWindow::showSettingChange(editor::SettingSection section, const QString& name)
{
    const engine::ParamValue value = session_->document().setting(section, name.toStdString());
    if (section == editor::SettingSection::Dataset) {
        datasetPanel_->setField(name.toStdString(), value);
        refreshDatasetPreview();
        return;
    }
    trainingPanel_->setField(name.toStdString(), value);
    // The preview checks the data against the loss (class indexes or values); other training
    // settings do not change what it shows.
    if (name == QLatin1String("loss"))
        refreshDatasetPreview();
}

void MainWindow::refreshDatasetPreview()
{
    const QString path = session_->filePath();
    datasetPanel_->previewProject(session_->project(), path.isEmpty() ? QString() : QFileInfo(path).absolutePath());
}

} // namespace netdraft::app
