#include "app/gui/ExperimentWindow.h"

#include "app/gui/ExperimentRun.h"
#include "editor/GraphDocument.h"
#include "editor/commands/SetExperiment.h"
#include "engine/insight/NetworkCost.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/ProjectFormat.h"
#include "engine/network/CompiledNetwork.h"
#include "widgets/experiment/ExperimentPlanEditor.h"
#include "widgets/experiment/ExperimentResultsModel.h"
#include "widgets/experiment/ParallelCoordinatesPlot.h"
#include "widgets/experiment/ParetoPlot.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>

namespace netdraft::app {

namespace {

QPushButton* button(const QString& name, const QString& text, const QString& toolTip)
{
    auto* result = new QPushButton(text);
    result->setObjectName(name);
    result->setToolTip(toolTip);
    return result;
}

/// One sample's multiply-accumulates, as `netdraft-cli summary` counts total_macs.
std::optional<int64_t> multiplyAccumulatesOf(const engine::Project& project)
{
    try {
        return engine::costOf(
            engine::CompiledNetwork::compile(project), engine::CostOptions::fromSettings(project.training))
            .totalMultiplyAccumulates();
    } catch (const std::exception&) { // a design with errors has no cost
        return std::nullopt;
    }
}

} // namespace

ExperimentWindow::ExperimentWindow(editor::GraphDocument& document, QWidget* parent)
    : QWidget(parent, Qt::Window)
    , document_(document)
    , cliPath_(QCoreApplication::applicationDirPath() + QStringLiteral("/netdraft-cli"))
{
    setObjectName("experimentWindow");
    setWindowTitle(tr("Experiment"));
    buildLayout();
    loadPlanFromProject();
    connect(&document_, &editor::GraphDocument::experimentChanged, this, &ExperimentWindow::loadPlanFromProject);
    connect(&document_, &editor::GraphDocument::projectReset, this, &ExperimentWindow::loadPlanFromProject);
    connect(&document_, &editor::GraphDocument::blockChanged, this, &ExperimentWindow::checkPlan);
    connect(&document_, &editor::GraphDocument::blockAdded, this, &ExperimentWindow::checkPlan);
    connect(&document_, &editor::GraphDocument::blockRemoved, this, &ExperimentWindow::checkPlan);
    updateButtons();
    updateStatus();
}

ExperimentWindow::~ExperimentWindow() = default;

void ExperimentWindow::buildLayout()
{
    planEditor_ = new widgets::ExperimentPlanEditor;
    connect(planEditor_, &widgets::ExperimentPlanEditor::planEdited, this, &ExperimentWindow::checkPlan);
    plannedCount_ = new QLabel;
    plannedCount_->setObjectName("experimentPlannedCount");

    save_
        = button("experimentSave", tr("&Save in Project"), tr("Keeps this experiment in the project file (undoable)"));
    runButton_ = button("experimentRun", tr("&Run"), tr("Trains every trial, each as its own netdraft-cli process"));
    pause_ = button("experimentPause", tr("&Pause"), tr("No further trial starts; running trials finish"));
    pause_->setCheckable(true);
    cancel_ = button(
        "experimentCancel", tr("&Cancel"), tr("Running trials stop after their batch; the rest are cancelled"));
    extend_ = button("experimentAddTrials", tr("Add to &Queue"),
        tr("Queues the trials of the form that are not in the table yet (add a value, or raise the random trials)"));
    openFolder_
        = button("experimentOpenFolder", tr("&Open Results…"), tr("Shows a folder netdraft-cli sweep --out wrote"));
    exportCsv_ = button("experimentExportCsv", tr("&Export CSV…"), tr("Saves the table as results.csv"));
    openTrial_ = button(
        "experimentOpenTrial", tr("Open Trial's Project"), tr("Opens the exact project the selected trial trained"));
    connect(save_, &QPushButton::clicked, this, &ExperimentWindow::saveToProject);
    connect(runButton_, &QPushButton::clicked, this, [this] { run(); });
    connect(pause_, &QPushButton::toggled, this, &ExperimentWindow::setPaused);
    connect(cancel_, &QPushButton::clicked, this, &ExperimentWindow::cancel);
    connect(extend_, &QPushButton::clicked, this, &ExperimentWindow::addToQueue);
    connect(openFolder_, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Experiment Results"), resultsFolder_);
        QString error;
        if (!folder.isEmpty() && !openResults(folder, &error))
            QMessageBox::warning(this, tr("Open Experiment Results"), error);
    });
    connect(exportCsv_, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export Results"), resultsFolder_ + "/results.csv", tr("CSV files (*.csv)"));
        QString error;
        if (!path.isEmpty() && !exportCsv(path, &error))
            QMessageBox::warning(this, tr("Export Results"), error);
    });
    connect(openTrial_, &QPushButton::clicked, this, [this] {
        if (const int trial = selectedTrial())
            Q_EMIT openProjectRequested(trialProjectPath(trial));
    });

    auto* runButtons = new QHBoxLayout;
    for (QPushButton* b : { save_, runButton_, pause_, cancel_, extend_ })
        runButtons->addWidget(b);
    runButtons->addStretch();
    progress_ = new QProgressBar;
    progress_->setObjectName("experimentProgress");
    progress_->setTextVisible(true);
    status_ = new QLabel;
    status_->setObjectName("experimentStatus");
    status_->setWordWrap(true);
    auto* fileButtons = new QHBoxLayout;
    for (QPushButton* b : { openFolder_, exportCsv_, openTrial_ })
        fileButtons->addWidget(b);
    fileButtons->addStretch();

    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(planEditor_);
    leftLayout->addWidget(plannedCount_);
    leftLayout->addLayout(runButtons);
    leftLayout->addWidget(progress_);
    leftLayout->addWidget(status_);
    leftLayout->addStretch();
    leftLayout->addLayout(fileButtons);

    model_ = new widgets::ExperimentResultsModel(this);
    sorted_ = new QSortFilterProxyModel(this);
    sorted_->setSourceModel(model_);
    sorted_->setSortRole(Qt::UserRole);
    table_ = new QTableView;
    table_->setObjectName("experimentTable");
    table_->setModel(sorted_);
    table_->setSortingEnabled(true);
    table_->sortByColumn(0, Qt::AscendingOrder);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setAlternatingRowColors(true);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    connect(table_, &QTableView::doubleClicked, this,
        [this](const QModelIndex& index) { activateTrial(model_->trialAt(sorted_->mapToSource(index).row())); });
    connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this, &ExperimentWindow::updateButtons);

    parallel_ = new widgets::ParallelCoordinatesPlot;
    pareto_ = new widgets::ParetoPlot;
    connect(parallel_, &widgets::ParallelCoordinatesPlot::trialClicked, this, &ExperimentWindow::activateTrial);
    connect(pareto_, &widgets::ParetoPlot::trialClicked, this, &ExperimentWindow::activateTrial);
    costChoice_ = new QComboBox;
    costChoice_->setObjectName("experimentCost");
    costChoice_->addItems({ tr("Parameters"), tr("Multiply-accumulates (MACs)") });
    connect(costChoice_, &QComboBox::currentIndexChanged, this, [this](int index) {
        pareto_->setCost(
            index == 0 ? widgets::ParetoPlot::Cost::Parameters : widgets::ParetoPlot::Cost::MultiplyAccumulates);
    });
    auto* paretoPage = new QWidget;
    auto* paretoLayout = new QVBoxLayout(paretoPage);
    auto* costRow = new QHBoxLayout;
    costRow->addWidget(new QLabel(tr("Cost")));
    costRow->addWidget(costChoice_);
    costRow->addStretch();
    costRow->addWidget(new QLabel(tr("Click a point to show its run")));
    paretoLayout->addLayout(costRow);
    paretoLayout->addWidget(pareto_, 1);

    tabs_ = new QTabWidget;
    tabs_->setObjectName("experimentTabs");
    tabs_->addTab(table_, tr("Results"));
    tabs_->addTab(parallel_, tr("Parallel Coordinates"));
    tabs_->addTab(paretoPage, tr("Accuracy vs Cost"));

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(left);
    splitter->addWidget(tabs_);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({ 380, 880 });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
    resize(1350, 700); // fits a 1366×768 screen
}

void ExperimentWindow::setProjectPath(const QString& path)
{
    projectPath_ = path;
}

void ExperimentWindow::loadPlanFromProject()
{
    planEditor_->setProject(document_.project());
    planEditor_->setPlan(document_.project().experiment);
    checkPlan();
}

std::vector<engine::Trial> ExperimentWindow::plannedTrials(QString* error, std::vector<std::string>* keys) const
{
    const engine::ExperimentPlan plan = planEditor_->plan();
    if (plan.empty()) {
        *error = tr("Add a key to vary: choose it and press Add Key, then list its values (key=value,value,…)");
        return {};
    }
    try {
        const engine::ExperimentSpec spec = engine::experimentSpecFromPlan(document_.project(), plan);
        if (keys)
            *keys = spec.keyTexts();
        return engine::trialProjects(document_.project(), spec);
    } catch (const std::exception& failure) {
        *error = QString::fromUtf8(failure.what());
        return {};
    }
}

void ExperimentWindow::checkPlan()
{
    QString error;
    const auto trials = plannedTrials(&error);
    planEditor_->setProblem(trials.empty() ? error : QString());
    plannedCount_->setText(trials.empty() ? QString() : tr("%n trial(s) planned", nullptr, int(trials.size())));
    updateButtons();
}

bool ExperimentWindow::saveToProject()
{
    QString error;
    if (plannedTrials(&error).empty()) {
        planEditor_->setProblem(error);
        return false;
    }
    document_.push(new editor::commands::SetExperiment(document_, planEditor_->plan()));
    return true;
}

QString ExperimentWindow::defaultOutputDirectory() const
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    if (projectPath_.isEmpty())
        return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/experiments/untitled-" + stamp;
    const QFileInfo project(projectPath_);
    return project.absolutePath() + "/" + project.completeBaseName() + ".experiments/" + stamp;
}

bool ExperimentWindow::run(const QString& outputDirectory)
{
    if (isRunning())
        return false;
    QString error;
    std::vector<std::string> keys;
    std::vector<engine::Trial> trials = plannedTrials(&error, &keys);
    const QString folder = outputDirectory.isEmpty() ? defaultOutputDirectory() : outputDirectory;
    if (!trials.empty() && QFile::exists(folder + "/results.csv"))
        error = tr("%1 holds the results of another sweep already").arg(folder);
    if (trials.empty() || !error.isEmpty()) {
        planEditor_->setProblem(error);
        return false;
    }
    engine::SweepOptions options;
    options.executable = cliPath_.toStdString();
    options.projectDirectory
        = (projectPath_.isEmpty() ? QDir::currentPath() : QFileInfo(projectPath_).absolutePath()).toStdString();
    options.outputDirectory = folder.toStdString();
    const engine::ExperimentPlan plan = planEditor_->plan();
    options.parallel = int(std::max<int64_t>(1, plan.parallel));
    options.pruning.afterEpochs = plan.pruneAfter;
    options.pruning.minimumReferences = plan.pruneMinTrials;
    options.pruning.lowerIsBetter = document_.project().training.monitor != "val_accuracy";
    options.multiplyAccumulates = multiplyAccumulatesOf; // results.csv's macs column
    std::vector<std::pair<int, engine::Project>> projects;
    for (const auto& trial : trials)
        projects.emplace_back(trial.number, trial.project);

    run_ = std::make_unique<ExperimentRun>(std::move(trials), keys, options);
    connect(run_.get(), &ExperimentRun::trialStarted, this, [this](const engine::TrialRow& row) {
        model_->updateRow(row);
        updateStatus();
    });
    connect(run_.get(), &ExperimentRun::trialFinished, this, &ExperimentWindow::onTrialFinished);
    connect(run_.get(), &ExperimentRun::trialProgress, this,
        [this](int trial, qint64 done, qint64 total) { model_->setProgress(trial, done, total); });
    connect(run_.get(), &ExperimentRun::finished, this, [this] {
        model_->setTable(run_->table());
        for (const auto& row : run_->table().rows)
            computeMultiplyAccumulates(row.number, run_->trial(row.number).project);
        refreshPlots();
        updateButtons();
        updateStatus();
        Q_EMIT runFinished();
    });
    runs_.clear();
    if (!run_->start(&error)) {
        run_.reset();
        planEditor_->setProblem(error);
        return false;
    }
    resultsFolder_ = folder;
    model_->setTable(run_->table());
    for (const auto& [number, project] : projects)
        computeMultiplyAccumulates(number, project);
    pause_->setChecked(false);
    refreshPlots();
    updateButtons();
    updateStatus();
    return true;
}

void ExperimentWindow::onTrialFinished(const engine::TrialRow& row)
{
    model_->updateRow(row);
    refreshPlots();
    updateStatus();
    updateButtons();
    Q_EMIT trialRunEnded(run_->trialFolder(row.number), row);
}

void ExperimentWindow::computeMultiplyAccumulates(int trial, const engine::Project& project)
{
    model_->setMultiplyAccumulates(trial, multiplyAccumulatesOf(project));
}

void ExperimentWindow::setPaused(bool paused)
{
    if (run_)
        run_->setPaused(paused);
    if (pause_->isChecked() != paused)
        pause_->setChecked(paused);
    pause_->setText(paused ? tr("Res&ume") : tr("&Pause"));
    updateStatus();
}

void ExperimentWindow::cancel()
{
    if (run_ && run_->isRunning())
        run_->cancel();
    updateStatus();
}

int ExperimentWindow::trialCount(engine::TrialStatus status) const
{
    if (!isRunning())
        return 0;
    const auto& rows = run_->table().rows;
    return int(std::count_if(rows.begin(), rows.end(), [status](const auto& row) { return row.status == status; }));
}

void ExperimentWindow::stopTrials(int milliseconds)
{
    if (isRunning())
        run_->stopAndWait(milliseconds);
}

int ExperimentWindow::addToQueue()
{
    if (!run_)
        return run() ? int(model_->table().rows.size()) : -1;
    QString error;
    std::vector<std::string> keys;
    std::vector<engine::Trial> planned = plannedTrials(&error, &keys);
    if (planned.empty()) {
        planEditor_->setProblem(error);
        return -1;
    }
    const auto& table = run_->table();
    std::vector<engine::Trial> fresh;
    for (auto& trial : planned) {
        std::vector<std::string> values;
        for (const auto& key : table.keys) {
            const auto it = std::find_if(trial.values.begin(), trial.values.end(),
                [&](const engine::Assignment& assignment) { return assignment.key.text() == key; });
            values.push_back(it == trial.values.end() ? std::string() : it->value.text);
        }
        const bool queued = std::any_of(table.rows.begin(), table.rows.end(), [&](const engine::TrialRow& row) {
            return row.values == values && row.status != engine::TrialStatus::Cancelled;
        });
        if (!queued)
            fresh.push_back(std::move(trial));
    }
    if (fresh.empty()) {
        planEditor_->setProblem(tr("Every trial of the form is in the table already: add a value or raise the "
                                   "random trials first"));
        return 0;
    }
    const int added = int(fresh.size());
    std::vector<engine::Project> projects;
    for (const auto& trial : fresh)
        projects.push_back(trial.project);
    if (!run_->addTrials(std::move(fresh), &error)) {
        planEditor_->setProblem(error);
        return -1;
    }
    const auto& rows = run_->table().rows;
    for (int i = 0; i < added; ++i) {
        const engine::TrialRow& row = rows[rows.size() - size_t(added) + size_t(i)];
        model_->updateRow(row);
        computeMultiplyAccumulates(row.number, projects[size_t(i)]);
    }
    planEditor_->setProblem({});
    updateButtons();
    updateStatus();
    return added;
}

bool ExperimentWindow::openResults(const QString& folder, QString* error)
{
    if (isRunning()) {
        *error = tr("Cancel the running experiment first");
        return false;
    }
    QFile file(folder + "/results.csv");
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("%1 has no results.csv (a folder netdraft-cli sweep --out wrote is expected)").arg(folder);
        return false;
    }
    engine::ResultsTable table;
    try {
        table = engine::parseResultsCsv(file.readAll().toStdString());
    } catch (const std::exception& failure) {
        *error = QString::fromUtf8(failure.what());
        return false;
    }
    run_.reset();
    runs_.clear();
    resultsFolder_ = folder;
    model_->setTable(table);
    for (const auto& row : table.rows) {
        if (row.multiplyAccumulates) { // written by the sweep; older files lack the column
            model_->setMultiplyAccumulates(row.number, row.multiplyAccumulates);
            continue;
        }
        try {
            computeMultiplyAccumulates(row.number, engine::loadProjectFile(trialProjectPath(row.number).toStdString()));
        } catch (const std::exception&) {
            model_->setMultiplyAccumulates(row.number, std::nullopt);
        }
    }
    refreshPlots();
    updateButtons();
    updateStatus();
    return true;
}

bool ExperimentWindow::exportCsv(const QString& path, QString* error) const
{
    try {
        engine::ResultsTable table = model_->table();
        for (auto& row : table.rows) // a folder from before the macs column has them from its projects
            if (!row.multiplyAccumulates)
                row.multiplyAccumulates = model_->multiplyAccumulates(row.number);
        engine::writeFileAtomically(path.toStdString(), engine::resultsCsv(table));
    } catch (const std::exception& failure) {
        *error = QString::fromUtf8(failure.what());
        return false;
    }
    return true;
}

bool ExperimentWindow::isRunning() const
{
    return run_ && run_->isRunning();
}

bool ExperimentWindow::isPaused() const
{
    return run_ && run_->isPaused();
}

QString ExperimentWindow::trialProjectPath(int trial) const
{
    return resultsFolder_ + QStringLiteral("/trial-%1/project.netdraft").arg(trial);
}

int ExperimentWindow::runOfTrial(int trial) const
{
    const auto it = runs_.find(trial);
    return it == runs_.end() ? 0 : it->second;
}

void ExperimentWindow::activateTrial(int trial)
{
    const int row = model_->rowOf(trial);
    if (row < 0)
        return;
    table_->selectRow(sorted_->mapFromSource(model_->index(row, 0)).row());
    if (const int run = runOfTrial(trial))
        Q_EMIT showRunRequested(run);
}

int ExperimentWindow::selectedTrial() const
{
    const QModelIndexList rows
        = table_->selectionModel() ? table_->selectionModel()->selectedRows() : QModelIndexList();
    return rows.isEmpty() ? 0 : model_->trialAt(sorted_->mapToSource(rows.front()).row());
}

void ExperimentWindow::refreshPlots()
{
    parallel_->setTable(model_->table());
    pareto_->setTable(model_->table(), [this](int trial) { return model_->multiplyAccumulates(trial); });
}

void ExperimentWindow::updateButtons()
{
    const bool running = isRunning();
    const bool planned = planEditor_->problem().isEmpty() && !planEditor_->plan().empty();
    save_->setEnabled(planned && !running);
    runButton_->setEnabled(planned && !running);
    pause_->setEnabled(running);
    cancel_->setEnabled(running);
    extend_->setEnabled(planned && run_ != nullptr);
    openFolder_->setEnabled(!running);
    exportCsv_->setEnabled(!model_->table().rows.empty());
    openTrial_->setEnabled(selectedTrial() != 0 && QFile::exists(trialProjectPath(selectedTrial())));
}

QString ExperimentWindow::statusText() const
{
    return status_->text();
}

void ExperimentWindow::updateStatus()
{
    const auto& rows = model_->table().rows;
    const auto count = [&](engine::TrialStatus status) {
        return int(
            std::count_if(rows.begin(), rows.end(), [&](const engine::TrialRow& row) { return row.status == status; }));
    };
    const int total = int(rows.size());
    const int running = count(engine::TrialStatus::Running);
    const int pending = count(engine::TrialStatus::Pending);
    const int ended = total - running - pending;
    progress_->setRange(0, std::max(1, total));
    progress_->setValue(ended);
    progress_->setFormat(tr("%1 of %2 trials ended").arg(ended).arg(total));
    if (total == 0) {
        status_->setText(tr("No trials yet: write what to vary and press Run, or open a results folder."));
        return;
    }
    QStringList parts;
    if (isRunning()) {
        parts << tr("%1 running, %2 waiting").arg(running).arg(pending);
        if (isPaused())
            parts << tr("paused: no further trial starts");
        if (const auto left = run_->secondsLeft())
            parts << tr("about %1 s left").arg(qRound(*left));
    }
    for (const auto status : { engine::TrialStatus::Completed, engine::TrialStatus::Pruned,
             engine::TrialStatus::Stopped, engine::TrialStatus::Failed, engine::TrialStatus::Cancelled })
        if (const int n = count(status))
            parts << QStringLiteral("%1 %2").arg(n).arg(QString::fromLatin1(engine::trialStatusName(status)));
    parts << tr("in %1").arg(QDir::toNativeSeparators(resultsFolder_));
    status_->setText(parts.join(QStringLiteral(" · ")));
}

} // namespace netdraft::app
