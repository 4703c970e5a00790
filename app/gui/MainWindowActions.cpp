// MainWindow: actions and menus.

#include "app/gui/ActionState.h"
#include "app/gui/BlockViewerLauncher.h"
#include "app/gui/CostPresenter.h"
#include "app/gui/HelpDialogs.h"
#include "app/gui/HistogramPresenter.h"
#include "app/gui/LearningRateFinderLauncher.h"
#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/SettingKey.h"
#include "app/gui/TrainingController.h"
#include "editor/GraphView.h"
#include "engine/export/ExportFormat.h"
#include "widgets/TrainingProgressWidget.h"

#include <QApplication>
#include <QDockWidget>
#include <QFileInfo>
#include <QMenuBar>
#include <QToolBar>

namespace netdraft::app {

namespace {
const SettingKey<QStringList> kRecentFiles { "files/recent" };
}

QAction* MainWindow::addAction(const QString& name, const QString& text, const QKeySequence& shortcut)
{
    auto* action = new QAction(text, this);
    action->setObjectName(name);
    if (!shortcut.isEmpty())
        action->setShortcut(shortcut);
    actions_[name] = action;
    return action;
}

void MainWindow::createActions()
{
    connect(addAction("fileNew", tr("&New"), QKeySequence::New), &QAction::triggered, this, [this] {
        if (!canReplaceProject())
            return;
        newProject();
        showStartPage();
    });
    action("fileNew")->setStatusTip(tr("A blank project (Input and Output only), or one from a template"));
    connect(addAction("fileOpen", tr("&Open…"), QKeySequence::Open), &QAction::triggered, this, [this] {
        if (!canReplaceProject())
            return;
        const QString path = prompts_->askOpenPath(this, QFileInfo(session_->filePath()).absolutePath());
        if (!path.isEmpty())
            openFile(path);
    });
    createImportActions();
    connect(addAction("fileSave", tr("&Save"), QKeySequence::Save), &QAction::triggered, this, &MainWindow::save);
    connect(addAction("fileSaveAs", tr("Save &As…"), QKeySequence::SaveAs), &QAction::triggered, this,
        [this] { saveAs(); });
    if (action("fileSaveAs")->shortcut().isEmpty()) // X11 without a desktop's key theme has none
        action("fileSaveAs")->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    createExportActions();
    connect(addAction("fileQuit", tr("&Quit"), QKeySequence::Quit), &QAction::triggered, this, &QWidget::close);

    const QIcon startIcon(QStringLiteral(":/icons/train-start.png"));
    connect(addAction("trainStart", tr("&Start Training"), QKeySequence(Qt::CTRL | Qt::Key_T)), &QAction::triggered,
        this, [this] { startTraining(); });
    action("trainStart")->setIcon(startIcon);
    action("trainStart")->setIconText(tr("Start"));
    connect(addAction("trainPause", tr("&Pause")), &QAction::triggered, training_, &TrainingController::pause);
    action("trainPause")->setIcon(QIcon(QStringLiteral(":/icons/train-pause.png")));
    connect(addAction("trainResume", tr("&Resume")), &QAction::triggered, training_, &TrainingController::resume);
    action("trainResume")->setIcon(startIcon);
    connect(addAction("trainStop", tr("S&top"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T)), &QAction::triggered,
        training_, &TrainingController::stop);
    action("trainStop")->setIcon(QIcon(QStringLiteral(":/icons/train-stop.png")));
    connect(addAction("trainResumeCheckpoint", tr("Resume from &Checkpoint…")), &QAction::triggered, this,
        &MainWindow::resumeFromCheckpoint);
    action("trainResumeCheckpoint")->setIcon(QIcon(QStringLiteral(":/icons/train-resume.png")));
    connect(addAction("trainExperiment", tr("&Experiment…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E)),
        &QAction::triggered, this, [this] { showExperimentWindow(); });
    connect(addAction("viewBlockOutput", tr("Block &Output…")), &QAction::triggered, this, [this] {
        showBlockViewer(
            this, session_->project(), session_->filePath(), runHistory_,
            [this](int number) { return runDesign(number); }, scene_->selectedBlockIds().value(0));
    });
    action("viewBlockOutput")
        ->setStatusTip(tr("Show what the selected block gives for a test sample (feature maps or values), with the "
                          "newest run's weights"));
    view_->addAction(action("viewBlockOutput")); // the canvas's context menu offers it
    connect(addAction("trainFindLearningRate", tr("Find &Learning Rate…")), &QAction::triggered, this,
        [this] { showLearningRateFinder(this, *session_); });

    connect(addAction("helpLayers", tr("&Layer Reference"), QKeySequence::HelpContents), &QAction::triggered, this,
        [this] { showLayerReference(this); });
    connect(addAction("helpShortcuts", tr("&Keyboard Shortcuts")), &QAction::triggered, this,
        [this] { showKeyboardShortcuts(this, findChildren<QAction*>()); });
    connect(addAction("helpAbout", tr("&About Netdraft")), &QAction::triggered, this, [this] { showAbout(this); });

    progress_->addButtons({ action("trainStart"), action("trainPause"), action("trainResume"), action("trainStop") });
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(action("fileNew"));
    QMenu* templates = file->addMenu(tr("New from &Template"));
    for (const QString& path : templatePaths()) {
        QAction* entry = templates->addAction(QFileInfo(path).completeBaseName().replace('_', ' '));
        entry->setObjectName("template:" + QFileInfo(path).completeBaseName());
        connect(entry, &QAction::triggered, this, [this, path] {
            if (canReplaceProject())
                newFromTemplate(path);
        });
    }
    if (templates->isEmpty())
        templates->addAction(tr("(no templates found)"))->setEnabled(false);
    file->addAction(action("fileOpen"));
    file->addAction(action("fileImport"));
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    updateRecentMenu();
    file->addSeparator();
    file->addAction(action("fileSave"));
    file->addAction(action("fileSaveAs"));
    QMenu* exportMenu = file->addMenu(tr("&Export"));
    exportMenu->setToolTipsVisible(true);
    connect(exportMenu, &QMenu::aboutToShow, this, [this, exportMenu] { updateExportMenu(exportMenu); });
    for (const engine::ExportFormatInfo& format : engine::exportFormats())
        exportMenu->addAction(action(exportActionName(format.name)));
    file->addSeparator();
    file->addAction(action("fileQuit"));

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    for (const char* name : { "undo", "redo", "", "cut", "copy", "paste", "delete", "deleteReconnect", "", "selectAll",
             "", "toggleFrozen", "", "group", "ungroup", "openComposite", "closeComposite", "saveComposite" }) {
        if (*name == '\0')
            edit->addSeparator();
        else if (QAction* editAction = view_->action(name))
            edit->addAction(editAction);
    }

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    for (const char* name : { "zoomIn", "zoomOut", "fit", "autoLayout", "minimap" })
        if (QAction* viewAction = view_->action(name))
            viewMenu_->addAction(viewAction);
    cost_->addViewActions(viewMenu_);
    viewMenu_->addAction(action("viewResultsWindow"));
    viewMenu_->addAction(action("viewBlockOutput"));
    viewMenu_->addAction(histograms_->viewAction());
    viewMenu_->addSeparator();
    QMenu* panels = viewMenu_->addMenu(tr("&Panels"));
    for (const auto& [name, dock] : docks_)
        panels->addAction(dock->toggleViewAction());

    QMenu* train = menuBar()->addMenu(tr("&Train"));
    train->setToolTipsVisible(true); // a greyed-out action says why
    for (const char* name : { "trainStart", "trainPause", "trainResume", "trainStop" })
        train->addAction(action(name));
    train->addSeparator();
    train->addAction(action("trainResumeCheckpoint"));
    train->addAction(action("trainExperiment"));
    train->addAction(action("trainFindLearningRate"));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    for (const char* name : { "helpLayers", "helpShortcuts", "helpAbout" })
        help->addAction(action(name));

    QToolBar* toolbar = addToolBar(tr("Training"));
    toolbar->setObjectName(QStringLiteral("trainingToolBar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    for (const char* name : { "trainStart", "trainPause", "trainResume", "trainStop" })
        toolbar->addAction(action(name));
}

void MainWindow::updateTrainingActions()
{
    using State = TrainingController::State;
    const State state = training_->state();
    const QString busy = tr("A run is going: stop it before starting another");
    const QString notRunning
        = state == State::Stopping ? tr("The run is stopping after the current batch") : tr("Nothing is training");
    setEnabledOrExplain(action("trainStart"), state == State::Idle, busy);
    setEnabledOrExplain(action("trainResumeCheckpoint"), state == State::Idle, busy);
    setEnabledOrExplain(action("trainPause"), state == State::Running, notRunning);
    setEnabledOrExplain(action("trainResume"), state == State::Paused, tr("The run is not paused"));
    setEnabledOrExplain(action("trainStop"), state == State::Running || state == State::Paused, notRunning);
    action("trainPause")->setVisible(state != State::Paused);
    action("trainResume")->setVisible(state == State::Paused);
    if (state == State::Paused)
        progress_->setStatus(tr("Paused — %1").arg(progress_->statusText()));
    else if (state == State::Stopping)
        progress_->setStatus(tr("Stopping after the current batch…"));
}

QStringList MainWindow::recentFiles()
{
    return kRecentFiles.get();
}

void MainWindow::addRecentFile(const QString& path)
{
    QStringList recent = kRecentFiles.get();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > 10)
        recent.removeLast();
    kRecentFiles.set(recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    recentMenu_->clear();
    const QStringList recent = kRecentFiles.get();
    for (const QString& path : recent) {
        QAction* entry = recentMenu_->addAction(QFileInfo(path).fileName());
        entry->setToolTip(path);
        connect(entry, &QAction::triggered, this, [this, path] {
            if (canReplaceProject())
                openProject(path);
        });
    }
    recentMenu_->setEnabled(!recent.isEmpty());
}

} // namespace netdraft::app
