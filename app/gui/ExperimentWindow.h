#pragma once
// Train ▸ Experiment…: a window to write the project's experiment (saved with the project through an
// undoable command), run its trials as `netdraft-cli train` processes (one after another or several at
// once) with a queue that can be paused, cancelled and extended, and compare them: a sortable results
// table (exported as results.csv), parallel coordinates of the varied values against the metric, and
// accuracy against cost with the Pareto front. It also opens a folder `netdraft-cli sweep --out`
// wrote. Trials that end are offered to the run history (trialRunEnded).

#include "engine/experiment/ExperimentTrials.h"
#include "engine/experiment/TrialResult.h"

#include <QWidget>

#include <map>
#include <memory>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;

namespace netdraft::editor {
class GraphDocument;
}

namespace netdraft::widgets {
class ExperimentPlanEditor;
class ExperimentResultsModel;
class ParallelCoordinatesPlot;
class ParetoPlot;
} // namespace netdraft::widgets

namespace netdraft::app {

class ExperimentRun;

class ExperimentWindow : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentWindow(editor::GraphDocument& document, QWidget* parent = nullptr);
    ~ExperimentWindow() override;

    /// The project's file (empty while untitled): relative dataset paths and the default results folder
    /// ("<dir>/<name>.experiments/<date-time>") follow it.
    void setProjectPath(const QString& path);
    /// The netdraft-cli that trains the trials; by default the one beside the running program.
    void setCliPath(const QString& path) { cliPath_ = path; }
    QString cliPath() const { return cliPath_; }

    /// The trials the form's plan gives for the current project; empty with `error` when it does not read.
    std::vector<engine::Trial> plannedTrials(QString* error, std::vector<std::string>* keys = nullptr) const;
    /// Saves the form's plan in the project (one undo step); false with the problem shown when it does not read.
    bool saveToProject();
    /// Runs the form's plan, writing into `outputDirectory` (empty: the default folder); false with the
    /// problem shown when the plan does not read, the folder holds results already or a run goes on.
    bool run(const QString& outputDirectory = {});
    void setPaused(bool paused);
    /// Running trials stop after their batch, the others are cancelled.
    void cancel();
    /// Queues the form's trials that are not in the table yet (a value added to a key, more random
    /// trials); starts a run when none was started. Returns how many were added, -1 on a problem.
    int addToQueue();
    /// Shows the results of a `netdraft-cli sweep --out` folder (its results.csv); false with `error`.
    bool openResults(const QString& folder, QString* error);
    /// Writes the table as results.csv to `path`; false with `error`.
    bool exportCsv(const QString& path, QString* error) const;

    bool isRunning() const;
    bool isPaused() const;
    /// Trials of the running sweep with this status (Running, Pending); 0 when none runs.
    int trialCount(engine::TrialStatus status) const;
    /// Quitting: the running trials stop after their batch (killed after `milliseconds`), the rest are
    /// cancelled; returns when no trial process is left.
    void stopTrials(int milliseconds);
    /// The folder the shown results are in.
    QString resultsFolder() const { return resultsFolder_; }
    /// Trial `trial`'s exact project file.
    QString trialProjectPath(int trial) const;
    /// The run history's number for trial `trial` (0: not in the history).
    int runOfTrial(int trial) const;
    void setRunOfTrial(int trial, int run) { runs_[trial] = run; }
    /// Selects trial `trial`'s row, and shows its run when it has one (showRunRequested).
    void activateTrial(int trial);

    widgets::ExperimentPlanEditor* planEditor() const { return planEditor_; }
    widgets::ExperimentResultsModel* resultsModel() const { return model_; }
    QTableView* resultsView() const { return table_; }
    widgets::ParallelCoordinatesPlot* parallelCoordinates() const { return parallel_; }
    widgets::ParetoPlot* paretoPlot() const { return pareto_; }
    QTabWidget* tabs() const { return tabs_; }
    QString statusText() const;

Q_SIGNALS:
    /// A trial of a run started here ended; its files are in `trialFolder`.
    void trialRunEnded(const QString& trialFolder, const netdraft::engine::TrialRow& row);
    /// Every trial ended or the run was cancelled.
    void runFinished();
    void showRunRequested(int run);
    void openProjectRequested(const QString& path);

private:
    void buildLayout();
    void loadPlanFromProject();
    void checkPlan();
    void updateButtons();
    void updateStatus();
    void refreshPlots();
    void onTrialFinished(const engine::TrialRow& row);
    void computeMultiplyAccumulates(int trial, const engine::Project& project);
    QString defaultOutputDirectory() const;
    int selectedTrial() const;

    editor::GraphDocument& document_;
    QString projectPath_;
    QString cliPath_;
    QString resultsFolder_;
    std::unique_ptr<ExperimentRun> run_;
    std::map<int, int> runs_; ///< trial → run history number
    widgets::ExperimentPlanEditor* planEditor_ = nullptr;
    widgets::ExperimentResultsModel* model_ = nullptr;
    QSortFilterProxyModel* sorted_ = nullptr;
    QTableView* table_ = nullptr;
    widgets::ParallelCoordinatesPlot* parallel_ = nullptr;
    widgets::ParetoPlot* pareto_ = nullptr;
    QComboBox* costChoice_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QPushButton* save_ = nullptr;
    QPushButton* runButton_ = nullptr;
    QPushButton* pause_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* extend_ = nullptr;
    QPushButton* openFolder_ = nullptr;
    QPushButton* exportCsv_ = nullptr;
    QPushButton* openTrial_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* plannedCount_ = nullptr;
};

} // namespace netdraft::app
