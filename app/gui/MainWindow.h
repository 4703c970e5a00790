#pragma once
// The Netdraft main window: canvas in the middle, docks for palette, inspector, problems, dataset,
// training settings, plots, results, run history and log; menus for files, editing, view, training, help.

#include "app/gui/Prompts.h"
#include "app/gui/RunHistory.h"
#include "app/gui/TrainingTypes.h"
#include "engine/project/Project.h"

#include <QMainWindow>

#include <map>
#include <memory>
#include <optional>

class QDockWidget;
class QLabel;
class QMenu;
class QProgressBar;
class QStackedWidget;

namespace netdraft::editor {
enum class SettingSection;
class FailureMark;
class GraphScene;
class GraphView;
} // namespace netdraft::editor

namespace netdraft::widgets {
class DatasetWidget;
class InspectorWidget;
class LogWidget;
class PaletteWidget;
class ProblemsWidget;
class RunHistoryWidget;
class StartPage;
class TrainingPlotWidget;
class TrainingProgressWidget;
class TrainingResultsWidget;
class TrainingSettingsWidget;
struct RunRecord;
} // namespace netdraft::widgets

namespace netdraft::engine {
struct ExportRequest;
struct TrialRow;
} // namespace netdraft::engine

namespace netdraft::app {

class CostPresenter;
class ExperimentWindow;
class ExportRunner;
class HistogramPresenter;
class ModelImportRunner;
class ProjectSession;
class TrainingController;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// `prompts` answers the window's questions; null uses message boxes.
    explicit MainWindow(std::unique_ptr<Prompts> prompts = nullptr, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens a project, offering a newer recovery file first. On failure every problem is shown and
    /// the current project stays.
    bool openProject(const QString& path);
    /// Opens a .netdraft project, or imports a model file of an import format (asking first, as
    /// File ▸ Open does); the command line and File ▸ Open come here.
    bool openFile(const QString& path);
    /// What `netdraft PATH` opens at start: a project as openFile() does; a model file through the same
    /// import (the question, the TorchScript warning) over a blank project, which stays behind the start
    /// view when the import is cancelled or fails. False when nothing is opened or importing.
    bool openOnStart(const QString& path);
    /// Starts importing model `path` on a worker without the question (File ▸ Import Model… after it):
    /// `inputShape` is one sample's shape ("3,224,224", empty: what the file or the first layer says).
    /// The result replaces the project as a new untitled one named after the model, with the model's
    /// weights as its starting weights; modelImported() follows. False when an import is running or
    /// the shape does not read.
    bool importModelFile(const QString& path, const QString& inputShape = {}, bool keepUnsupported = false,
        bool restoreProject = true);
    ModelImportRunner& importer() const { return *importer_; }
    /// File ▸ New without the question: an untitled project with only an Input and an Output.
    void newProject();
    /// A new untitled project copied from a template file; it takes its own name when first saved.
    bool newFromTemplate(const QString& templatePath);
    /// Shows the start view (blank, templates, recent files) in place of the canvas until one is chosen.
    void showStartPage();
    bool isStartPageShown() const;
    widgets::StartPage* startPage() const { return startPage_; }
    bool save();
    /// Saves under `path`, or asks for one when empty.
    bool saveAs(const QString& path = {});
    /// Trains a snapshot of the project (Train ▸ Start).
    bool startTraining(const QString& resumeFrom = {});
    /// Starts exporting the project on a worker (File ▸ Export without the question): with the weights
    /// of run `runNumber`, or for 0 of the latest run of this design that kept weights, else the initial
    /// weights. False while another export runs; the outcome goes to the log and a message.
    bool exportNetwork(const std::string& format, const QString& outputPath, int runNumber = 0);
    /// The object name of File ▸ Export's action for a registered export format: "export_torchscript".
    static QString exportActionName(const std::string& format);
    /// Which weights File ▸ Export writes now (engine::exportWeightsSource): the latest run of this design's,
    /// else the project's imported (starting) weights, else the seeded ones. The Export menu shows it on top.
    QString exportWeightsLine() const;
    /// The folder of run `number`'s checkpoint.pt, weights.pt and project.netdraft (what it trained).
    QString runFolder(int number) const;
    QString runWeightsPath(int number) const;
    /// The run history's context menu for run `number`: its exports, greyed out with the reason
    /// in their tooltips when the run kept no weights or another export is running.
    std::unique_ptr<QMenu> runMenu(int number);
    /// Train ▸ Experiment…: shows the experiment window (made on first use); its trials join the run history.
    ExperimentWindow* showExperimentWindow();

    ProjectSession& session() const { return *session_; }
    TrainingController& training() const { return *training_; }
    ExportRunner& exporter() const { return *exporter_; }
    const RunHistory& runHistory() const { return runHistory_; }
    widgets::TrainingPlotWidget* plot() const { return plot_; }
    HistogramPresenter& histograms() const { return *histograms_; }
    widgets::TrainingResultsWidget* results() const { return results_; }
    widgets::TrainingProgressWidget* progress() const { return progress_; }
    widgets::LogWidget* log() const { return log_; }
    widgets::DatasetWidget* datasetPanel() const { return datasetPanel_; }
    widgets::TrainingSettingsWidget* trainingPanel() const { return trainingPanel_; }
    /// The action with this object name ("trainStart", "fileSave", ...).
    QAction* action(const QString& name) const;
    /// The text of the "design changed since this run started" notice (empty when hidden).
    QString designNotice() const;
    /// The .netdraft files offered under File ▸ New from template.
    static QStringList templatePaths();
    /// The recently opened or saved project files, newest first.
    static QStringList recentFiles();

Q_SIGNALS:
    /// A run ended and is in the history.
    void trainingFinished(const netdraft::widgets::RunRecord& record);
    /// An import ended: `ok` and the project replaced, or the error shown.
    void modelImported(bool ok);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    // MainWindow.cpp: docks, layout, title
    void createDocks();
    QDockWidget* addDock(const QString& objectName, const QString& title, QWidget* widget, Qt::DockWidgetArea area);
    void restoreLayout();
    void saveLayout() const;
    void updateTitle();
    void applyTheme();
    // MainWindowActions.cpp: actions and menus
    void createActions();
    void createMenus();
    QAction* addAction(const QString& name, const QString& text, const QKeySequence& shortcut = {});
    void updateTrainingActions();
    void updateRecentMenu();
    // MainWindowProject.cpp: files
    bool confirmDiscard();
    /// No run going (or the user is told to stop it first) and unsaved work is saved or discarded.
    bool canReplaceProject();
    void afterNewProject(const QString& logLine);
    void createStartPage();
    void refreshStartPage();
    void addRecentFile(const QString& path);
    void loadRunHistory();
    void saveRunHistory();
    void refreshSettingsPanels();
    /// One setting changed (an edit, its undo or redo): that field's editor and, for dataset fields
    /// and the loss, the dataset preview follow.
    void showSettingChange(editor::SettingSection section, const QString& name);
    void refreshDatasetPreview();
    void showHistory();
    // MainWindowTraining.cpp: runs
    void onBatch(const engine::SessionBatch& batch);
    void onEpoch(const engine::SessionEpoch& epoch);
    void onRunFinished(const widgets::RunRecord& record);
    void onTrainingError(const QString& message);
    void updateDesignNotice();
    void resumeFromCheckpoint();
    void showRun(int number);
    /// After another project replaced this one: its latest run's results, curves and progress, or
    /// empty ones saying "No run yet" when it has no runs; no runs ticked for comparison.
    void showLatestRun();
    void showPredictions(const widgets::RunRecord& run);
    /// Marks on the canvas the block `run` stopped at (NaN or inf), when the design is still the one it
    /// trained; clears the mark otherwise. `centre`: the view scrolls to the block and Problems comes forward.
    void markRunFailure(const widgets::RunRecord* run, bool centre);
    /// An experiment trial that ended becomes a run of the history (its files copied into the run's folder).
    void addExperimentRun(const QString& trialFolder, const engine::TrialRow& row);
    /// The design run `number` trained: its snapshot, else the current design when unchanged.
    std::optional<engine::Project> runDesign(int number) const;
    // MainWindowExport.cpp: File ▸ Export and the run history's export menu
    void createExportActions();
    void askAndExport(const std::string& format, int runNumber);
    int latestRunOfThisDesign() const;
    /// The export request's project, folder and weights for run `runNumber` (0: File ▸ Export's choice).
    engine::ExportRequest exportRequest(int runNumber) const;
    /// Puts exportWeightsLine() at the top of File ▸ Export (a disabled entry) before it opens.
    void updateExportMenu(QMenu* menu);
    void onExportFinished(bool ok, const QString& message, const QStringList& notes, const QStringList& files);
    // MainWindowImport.cpp: File ▸ Open / Import Model… for model files (ModelImportRunner's worker)
    void createImportActions();
    /// Asks the import question (code warning, input shape), then imports; `reason` says why it is asked again.
    void askAndImport(const QString& path, const QString& reason = {});
    void onImportFinished(bool ok, const QString& message);
    /// Removes the folders of this window's imports that neither the project nor a recent one names.
    void removeUnusedImports();

    std::unique_ptr<Prompts> prompts_;
    ProjectSession* session_ = nullptr;
    TrainingController* training_ = nullptr;
    ExportRunner* exporter_ = nullptr;
    CostPresenter* cost_ = nullptr; ///< View ▸ Cost Overlay, the Cost panel, the memory-fit line
    HistogramPresenter* histograms_ = nullptr; ///< View ▸ Histograms: per-block statistics of a run
    editor::FailureMark* failureMark_ = nullptr; ///< the block a failed run stopped at, on the canvas
    ExperimentWindow* experiment_ = nullptr; ///< Train ▸ Experiment…, made on first use
    ModelImportRunner* importer_ = nullptr;
    QProgressBar* importBusy_ = nullptr;
    QString importingPath_; ///< the model being imported, and the shape it was given
    QString importingShape_;
    bool importingKeepsUnsupported_ = false; ///< the running import keeps operators without a block
    bool importingRestores_ = true; ///< the running import opens a Netdraft export as its project
    QProgressBar* exportBusy_ = nullptr;
    RunHistory runHistory_;
    editor::GraphScene* scene_ = nullptr;
    editor::GraphView* view_ = nullptr;
    widgets::PaletteWidget* palette_ = nullptr;
    widgets::InspectorWidget* inspector_ = nullptr;
    widgets::ProblemsWidget* problems_ = nullptr;
    widgets::DatasetWidget* datasetPanel_ = nullptr;
    widgets::TrainingSettingsWidget* trainingPanel_ = nullptr;
    widgets::TrainingPlotWidget* plot_ = nullptr;
    widgets::TrainingProgressWidget* progress_ = nullptr;
    widgets::TrainingResultsWidget* results_ = nullptr;
    widgets::RunHistoryWidget* history_ = nullptr;
    widgets::LogWidget* log_ = nullptr;
    widgets::StartPage* startPage_ = nullptr;
    QStackedWidget* centre_ = nullptr; ///< the canvas or the start view
    QLabel* designNotice_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    class ProblemsDockRaiser* problemsRaiser_ = nullptr; ///< Problems forward when errors first appear
    std::map<QString, QDockWidget*> docks_;
    std::map<QString, QAction*> actions_;
    bool applyingTheme_ = false;
    /// What the running (or last) run trains, for its sample predictions when it ends.
    struct StartedRun {
        int number = 0;
        engine::Project snapshot;
        QString projectDirectory;
        QString outputDirectory;
    };
    std::optional<StartedRun> startedRun_;
};

} // namespace netdraft::app
