// MainWindow: new, open, save, recovery and the project's run history.

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "editor/GraphDocument.h"
#include "engine/io/ProjectFormat.h"
#include "widgets/DatasetWidget.h"
#include "widgets/LogWidget.h"
#include "widgets/RunHistoryWidget.h"
#include "widgets/TrainingSettingsWidget.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStatusBar>

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

bool MainWindow::newFromTemplate(const QString& templatePath)
{
    try {
        engine::Project project = engine::loadProjectFile(templatePath.toStdString());
        session_->reset(std::move(project), QString());
    } catch (const std::exception& failure) {
        prompts_->showLoadErrors(this, templatePath, QString::fromUtf8(failure.what()));
        return false;
    }
    runHistory_.clear();
    showHistory();
    log_->info(tr("New project from template %1").arg(QFileInfo(templatePath).fileName()));
    return true;
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
        const QString name = QString::fromStdString(session_->project().name).replace(' ', '_').toLower();
        path = prompts_->askSavePath(this, (name.isEmpty() ? QStringLiteral("untitled") : name) + ".netdraft");
        if (path.isEmpty())
            return false;
    }
    QString error;
    if (!session_->save(path, &error)) {
        log_->error(error);
        prompts_->showError(this, tr("Cannot save"), error);
        return false;
    }
    saveRunHistory();
    addRecentFile(session_->filePath());
    statusBar()->showMessage(tr("Saved %1").arg(session_->filePath()), 4000);
    return true;
}

bool MainWindow::confirmDiscard()
{
    if (!session_->isModified())
        return true;
    switch (prompts_->askSaveChanges(this, session_->displayName())) {
    case Prompts::SaveChoice::Save:
        return save();
    case Prompts::SaveChoice::Discard:
        session_->removeRecovery();
        return true;
    case Prompts::SaveChoice::Cancel:
        break;
    }
    return false;
}

void MainWindow::loadRunHistory()
{
    QString error;
    if (!runHistory_.load(session_->filePath(), &error))
        log_->warning(error);
    showHistory();
}

void MainWindow::saveRunHistory()
{
    if (session_->filePath().isEmpty() || runHistory_.runs().empty())
        return;
    QString error;
    if (!runHistory_.save(session_->filePath(), &error))
        log_->warning(error);
}

void MainWindow::refreshSettingsPanels()
{
    datasetPanel_->setDataset(session_->settings().dataset());
    trainingPanel_->setSettings(session_->settings().training());
    refreshDatasetPreview();
}

void MainWindow::refreshDatasetPreview()
{
    const QString path = session_->filePath();
    datasetPanel_->previewProject(session_->project(), path.isEmpty() ? QString() : QFileInfo(path).absolutePath());
}

} // namespace netdraft::app
