#include "app/gui/MainWindow.h"

#include "app/gui/CostPresenter.h"
#include "app/gui/ExperimentWindow.h"
#include "app/gui/HistogramPresenter.h"
#include "app/gui/ProblemsDockRaiser.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/ResultsWindowToggle.h"
#include "app/gui/SettingKey.h"
#include "app/gui/Theme.h"
#include "app/gui/TrainingController.h"
#include "editor/FailureMark.h"
#include "editor/GraphScene.h"
#include "editor/commands/SetSetting.h"
#include "editor/GraphView.h"
#include "engine/train/AvailableDevices.h"
#include "widgets/DatasetWidget.h"
#include "widgets/HistogramPanel.h"
#include "widgets/editing/CostTableWidget.h"
#include "widgets/editing/InspectorWidget.h"
#include "widgets/LogWidget.h"
#include "widgets/editing/PaletteWidget.h"
#include "widgets/editing/ProblemsWidget.h"
#include "widgets/RunHistoryWidget.h"
#include "widgets/TrainingPlotWidget.h"
#include "widgets/TrainingProgressWidget.h"
#include "widgets/TrainingResultsWidget.h"
#include "widgets/TrainingSettingsWidget.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QScreen>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace netdraft::app {

namespace {
const SettingKey<QByteArray> kWindowGeometry { "window/geometry" };
const SettingKey<QByteArray> kWindowState { "window/state" };
// Bump when docks are added or renamed, so that an old saved layout does not hide new docks.
constexpr int kLayoutVersion = 4;
} // namespace

MainWindow::MainWindow(std::unique_ptr<Prompts> prompts, QWidget* parent)
    : QMainWindow(parent)
    , prompts_(prompts ? std::move(prompts) : std::make_unique<Prompts>())
    , session_(new ProjectSession(this))
    , training_(new TrainingController(this))
{
    initResources();
    setObjectName(QStringLiteral("mainWindow"));
    setDockNestingEnabled(true);
    scene_ = new editor::GraphScene(session_->document(), this);
    view_ = new editor::GraphView(scene_, this);
    view_->setObjectName(QStringLiteral("canvas"));
    createStartPage(); // the central widget: the canvas, or the start view in its place
    createDocks();
    createActions();
    createMenus();
    applyTheme();

    connect(session_, &ProjectSession::modifiedChanged, this, &MainWindow::updateTitle);
    connect(session_, &ProjectSession::filePathChanged, this, &MainWindow::updateTitle);
    connect(session_, &ProjectSession::projectReplaced, this, [this] {
        refreshSettingsPanels();
        QTimer::singleShot(0, view_, &editor::GraphView::fitToView);
    });
    connect(session_, &ProjectSession::autosaved, log_,
        [this](const QString& path) { log_->info(tr("Unsaved changes kept in %1").arg(path)); });
    connect(&session_->document(), &editor::GraphDocument::settingChanged, this, &MainWindow::showSettingChange);
    // Undoing "New project" or a reload is not possible, but a reset document replaces every setting.
    connect(&session_->document(), &editor::GraphDocument::projectReset, this, &MainWindow::refreshSettingsPanels);
    // The dataset preview says whether the data fits the graph, so graph edits refresh it too.
    connect(&session_->document(), &editor::GraphDocument::inferenceUpdated, this, &MainWindow::refreshDatasetPreview);
    connect(session_->document().undoStack(), &QUndoStack::indexChanged, this, &MainWindow::updateDesignNotice);
    connect(training_, &TrainingController::stateChanged, this, &MainWindow::updateTrainingActions);
    connect(training_, &TrainingController::logMessage, log_, &widgets::LogWidget::info);
    connect(training_, &TrainingController::batchReported, this, &MainWindow::onBatch);
    connect(training_, &TrainingController::epochReported, this, &MainWindow::onEpoch);
    connect(training_, &TrainingController::errorOccurred, this, &MainWindow::onTrainingError);
    connect(training_, &TrainingController::runFinished, this, &MainWindow::onRunFinished);

    refreshSettingsPanels();
    updateTrainingActions();
    updateTitle();
    restoreLayout();
}

MainWindow::~MainWindow()
{
    // The worker must not outlive the window's objects its queued signals reach.
    training_->shutdown();
    // The session outlives the child widgets during QWidget's teardown; its last signals (the undo
    // stack clearing) must not reach them.
    session_->disconnect(this);
    session_->document().disconnect(this);
    session_->document().undoStack()->disconnect(this);
    training_->disconnect(this);
}

QDockWidget* MainWindow::addDock(
    const QString& objectName, const QString& title, QWidget* widget, Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(objectName);
    dock->setWidget(widget);
    addDockWidget(area, dock);
    docks_[objectName] = dock;
    return dock;
}

void MainWindow::createDocks()
{
    palette_ = new widgets::PaletteWidget;
    inspector_ = new widgets::InspectorWidget(session_->document());
    problems_ = new widgets::ProblemsWidget(session_->document());
    datasetPanel_ = new widgets::DatasetWidget;
    trainingPanel_ = new widgets::TrainingSettingsWidget;
    std::vector<std::pair<std::string, QString>> devices;
    const std::vector<engine::AvailableDevice> available = engine::availableDevices();
    for (const engine::AvailableDevice& device : available)
        devices.emplace_back(device.id, QString::fromStdString(device.description));
    // Data-parallel training over every GPU when there are several.
    if (available.size() > 2) {
        std::string all;
        for (size_t i = 1; i < available.size(); ++i)
            all += (i > 1 ? "," : "") + available[i].id;
        devices.emplace_back(all, tr("All %1 GPUs, data-parallel (%2)").arg(available.size() - 1).arg(QString::fromStdString(all)));
    }
    trainingPanel_->setDevices(devices);
    results_ = new widgets::TrainingResultsWidget;
    history_ = new widgets::RunHistoryWidget;
    log_ = new widgets::LogWidget;

    auto* trainingPane = new QWidget;
    auto* trainingLayout = new QVBoxLayout(trainingPane);
    trainingLayout->setContentsMargins(0, 0, 0, 0);
    trainingLayout->setSpacing(2);
    progress_ = new widgets::TrainingProgressWidget;
    designNotice_ = new QLabel;
    designNotice_->setObjectName(QStringLiteral("designNotice"));
    designNotice_->setProperty("notice", true);
    designNotice_->setContentsMargins(8, 2, 8, 2);
    designNotice_->hide();
    plot_ = new widgets::TrainingPlotWidget;
    trainingLayout->addWidget(progress_);
    trainingLayout->addWidget(designNotice_);
    trainingLayout->addWidget(plot_, 1);

    // The right column runs the window's full height: the Inspector on top in a dock of its own, the
    // dataset and training settings below it; plots, problems, results and log are tabs under the
    // canvas. Each part keeps a usable height at 1366×768.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    addDock("paletteDock", tr("Layers"), palette_, Qt::LeftDockWidgetArea);
    QDockWidget* inspector = addDock("inspectorDock", tr("Inspector"), inspector_, Qt::RightDockWidgetArea);
    QDockWidget* dataset = addDock("datasetDock", tr("Dataset"), datasetPanel_, Qt::RightDockWidgetArea);
    QDockWidget* settings = addDock("trainingSettingsDock", tr("Training"), trainingPanel_, Qt::RightDockWidgetArea);
    splitDockWidget(inspector, dataset, Qt::Vertical);
    tabifyDockWidget(dataset, settings);
    QDockWidget* plots = addDock("plotsDock", tr("Training Progress"), trainingPane, Qt::BottomDockWidgetArea);
    QDockWidget* problems = addDock("problemsDock", tr("Problems"), problems_, Qt::BottomDockWidgetArea);
    QDockWidget* results = addDock("resultsDock", tr("Results"), results_, Qt::BottomDockWidgetArea);
    QDockWidget* history = addDock("historyDock", tr("Run History"), history_, Qt::BottomDockWidgetArea);
    tabifyDockWidget(plots, problems);
    tabifyDockWidget(problems, results);
    tabifyDockWidget(results, history);
    cost_ = new CostPresenter(session_->document(), *scene_, *view_, this);
    QDockWidget* cost = addDock("costDock", tr("Cost"), cost_->table(), Qt::BottomDockWidgetArea);
    tabifyDockWidget(history, cost);
    tabifyDockWidget(cost, addDock("logDock", tr("Log"), log_, Qt::BottomDockWidgetArea));
    histograms_ = new HistogramPresenter(*training_, *scene_, [this](int number) { return runFolder(number); }, this);
    histograms_->setDock(addDock("histogramsDock", tr("Histograms"), histograms_->panel(), Qt::BottomDockWidgetArea));
    tabifyDockWidget(cost, docks_["histogramsDock"]);
    connect(history_, &widgets::RunHistoryWidget::runSelected, histograms_, &HistogramPresenter::showRun);
    actions_["viewHistograms"] = histograms_->viewAction();
    inspector_->setCostAnalysis(&cost_->analysis());
    problems_->setCostAnalysis(&cost_->analysis());
    failureMark_ = new editor::FailureMark(*scene_, this);
    failureMark_->setObjectName(QStringLiteral("failureMark"));
    problems_->setFailureMark(failureMark_);
    statusBar()->addPermanentWidget(cost_->parametersLabel());
    statusBar()->addPermanentWidget(cost_->memoryLabel());
    dataset->raise();
    plots->raise();
    // Problems come forward when errors first appear; the results open in a large window on demand.
    problemsRaiser_ = new ProblemsDockRaiser(session_->document(), *problems, this);
    auto* resultsWindow = new ResultsWindowToggle(*this, *results);
    actions_["viewResultsWindow"] = resultsWindow->action();
    results_->setWindowAction(resultsWindow->action());

    connect(scene_, &editor::GraphScene::selectedBlocksChanged, inspector_, &widgets::InspectorWidget::showSelection);
    // Selecting one block shows its parameters: the Inspector comes to the front when the user has
    // tabbed it behind another dock (a closed Inspector stays closed; View brings it back).
    connect(scene_, &editor::GraphScene::selectedBlocksChanged, this, [inspector](const QStringList& ids) {
        if (ids.size() == 1 && !inspector->isHidden())
            inspector->raise();
    });
    connect(problems_, &widgets::ProblemsWidget::blockActivated, view_, &editor::GraphView::focusBlock);
    palette_->setDocument(&session_->document());
    connect(palette_, &widgets::PaletteWidget::layerActivated, this, [this](const QString& type) {
        scene_->addBlockAt(type, view_->mapToScene(view_->viewport()->rect().center()));
    });
    connect(scene_, &editor::GraphScene::statusMessage, this,
        [this](const QString& text) { statusBar()->showMessage(text, 5000); });
    connect(palette_, &widgets::PaletteWidget::statusMessage, this,
        [this](const QString& text) { statusBar()->showMessage(text, 5000); });
    connect(datasetPanel_, &widgets::DatasetWidget::fieldEdited, this,
        [this](const QString& name, const engine::ParamValue& value) {
            session_->document().push(new editor::commands::SetSetting(
                session_->document(), editor::SettingSection::Dataset, name.toStdString(), value));
        });
    // A path that another kind reads switches the kind too: one undo step for both.
    connect(datasetPanel_, &widgets::DatasetWidget::datasetChosen, this, [this](const QString& kind, const QString& path) {
        editor::GraphDocument& document = session_->document();
        document.undoStack()->beginMacro(tr("Choose %1 dataset").arg(kind));
        document.push(new editor::commands::SetSetting(
            document, editor::SettingSection::Dataset, "kind", engine::ParamValue(kind.toStdString())));
        document.push(new editor::commands::SetSetting(
            document, editor::SettingSection::Dataset, "path", engine::ParamValue(path.toStdString())));
        document.undoStack()->endMacro();
    });
    connect(trainingPanel_, &widgets::TrainingSettingsWidget::fieldEdited, this,
        [this](const QString& name, const engine::ParamValue& value) {
            session_->document().push(new editor::commands::SetSetting(
                session_->document(), editor::SettingSection::Training, name.toStdString(), value));
        });
    connect(history_, &widgets::RunHistoryWidget::runSelected, this, &MainWindow::showRun);
    // Ticked runs are overlaid in the epoch plots, to compare their validation curves.
    connect(history_, &widgets::RunHistoryWidget::comparisonChanged, this, [this](const QList<int>& numbers) {
        plot_->clearComparisons();
        for (int number : numbers)
            if (const widgets::RunRecord* run = runHistory_.find(number))
                plot_->addComparison(tr("run %1").arg(number), run->validationLoss, run->validationAccuracy);
    });
}

void MainWindow::restoreLayout()
{
    // A first start fills most of the screen, never more (the screen may be 1366×768 with a taskbar);
    // later starts restore what the user left, shrunk to the screen it opens on.
    const QScreen* screen = this->screen();
    const QSize available = screen ? screen->availableSize() : QSize(1366, 768);
    resize(available * 0.92);
    restoreGeometry(kWindowGeometry.get());
    if (width() > available.width() || height() > available.height())
        resize(size().boundedTo(available));
    if (restoreState(kWindowState.get(), kLayoutVersion))
        return;
    // Dock sizes only stick once the window has its real size: the canvas keeps the larger share.
    QTimer::singleShot(0, this, [this] {
        const int side = std::clamp(width() / 4, 280, 380);
        resizeDocks({ docks_["paletteDock"], docks_["inspectorDock"] },
            { std::min(palette_->sizeHint().width(), width() / 6), side }, Qt::Horizontal);
        resizeDocks({ docks_["plotsDock"] }, { height() / 3 }, Qt::Vertical);
        resizeDocks({ docks_["inspectorDock"], docks_["datasetDock"] }, { height() / 2, height() / 2 }, Qt::Vertical);
        // The canvas was fitted to its size before the docks took theirs.
        QTimer::singleShot(0, view_, &editor::GraphView::fitToView);
    });
}

void MainWindow::saveLayout() const
{
    kWindowGeometry.set(saveGeometry());
    kWindowState.set(saveState(kLayoutVersion));
}

void MainWindow::updateTitle()
{
    setWindowTitle(QStringLiteral("%1[*] — Netdraft").arg(session_->displayName()));
    setWindowModified(session_->isModified());
}

void MainWindow::applyTheme()
{
    applyingTheme_ = true;
    setStyleSheet(themeStyleSheet(palette()));
    applyingTheme_ = false;
}

void MainWindow::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange && !applyingTheme_)
        applyTheme(); // the system switched between light and dark
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!confirmDiscard()) {
        event->ignore();
        return;
    }
    if (experiment_ && experiment_->isRunning()) { // Cancel keeps the app and every trial running
        if (!prompts_->askStopTrials(this, experiment_->trialCount(engine::TrialStatus::Running),
                experiment_->trialCount(engine::TrialStatus::Pending))) {
            event->ignore();
            return;
        }
        log_->info(tr("Stopping the experiment's trials before closing…"));
        experiment_->stopTrials(5000);
    }
    if (training_->isActive()) {
        log_->info(tr("Stopping the run before closing…"));
        training_->shutdown();
    }
    session_->removeRecovery();
    saveLayout();
    event->accept();
}

QAction* MainWindow::action(const QString& name) const
{
    auto it = actions_.find(name);
    return it == actions_.end() ? nullptr : it->second;
}

QString MainWindow::designNotice() const
{
    return designNotice_->isHidden() ? QString() : designNotice_->text();
}

} // namespace netdraft::app
