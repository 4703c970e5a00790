#pragma once
// The questions and messages the window puts to the user. Tests replace them with answers given in
// code, so that no modal dialog blocks an offscreen run.

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

class QWidget;

namespace netdraft::app {

class Prompts {
public:
    enum class SaveChoice { Save, Discard, Cancel };
    /// What File ▸ Export does when the design has no trained weights yet.
    struct UntrainedExportChoice {
        enum class Kind { Cancel, Train, UseRun, InitialWeights };
        Kind kind = Kind::Cancel;
        int runIndex = -1; ///< for UseRun: the index into the offered runs
    };
    virtual ~Prompts() = default;

    virtual SaveChoice askSaveChanges(QWidget* parent, const QString& projectName);
    /// Quitting while an experiment's trials run: "N trials are still running: stop them and quit?"
    /// (`queued` more wait to start). False (Cancel) keeps the app and the trials running.
    virtual bool askStopTrials(QWidget* parent, int running, int queued);
    /// A recovery file newer than the project exists: restore it?
    virtual bool askRestoreRecovery(QWidget* parent, const QString& projectName, const QDateTime& savedAt);
    /// A project file could not be loaded; `details` lists every problem.
    virtual void showLoadErrors(QWidget* parent, const QString& path, const QString& details);
    virtual void showError(QWidget* parent, const QString& title, const QString& message);
    /// A path to save to, or empty when cancelled.
    virtual QString askSavePath(QWidget* parent, const QString& suggestion);
    /// A project or a model file of an import format (File ▸ Open), or empty when cancelled.
    virtual QString askOpenPath(QWidget* parent, const QString& folder);
    /// A model file of an import format (File ▸ Import Model…), or empty when cancelled.
    virtual QString askImportPath(QWidget* parent, const QString& folder);
    /// Before model `path` of format `formatTitle` is imported: says that loading runs code from the file
    /// when `runsCode`, and asks one input sample's shape ("3,224,224"; empty: what the file or the first
    /// layer says). `reason` (may be empty) says why it is asked again. `exportedProject` (may be empty)
    /// names the project Netdraft exported the file from: it opens as that project, so no shape is asked.
    /// Nullopt when cancelled.
    virtual std::optional<QString> askImport(QWidget* parent, const QString& path, const QString& formatTitle,
        bool runsCode, const QString& shape, const QString& reason, const QString& exportedProject = {});
    /// Model `fileName` has operators without a block (`list`, the import's message): import them as
    /// opaque blocks, to be replaced before training? false: import nothing.
    virtual bool askKeepUnsupported(QWidget* parent, const QString& fileName, const QString& list);
    /// Netdraft exported model `fileName` with its project, but that project cannot be opened (`message`,
    /// the import's error): import the network alone instead? false: import nothing.
    virtual bool askImportNetworkAlone(QWidget* parent, const QString& fileName, const QString& message);
    /// Where to export: a file matching `filter` ("TorchScript (*.pt)"), or a folder when `filter` is
    /// empty; empty when cancelled.
    virtual QString askExportPath(
        QWidget* parent, const QString& title, const QString& suggestion, const QString& filter);
    /// No run of the current design kept weights: train first, export one of `runsWithWeights` (other
    /// designs' runs, each exported with the design it trained), or export the weights `weightsSource` says
    /// (engine::exportWeightsSource: the imported weights when `startingWeights`, else the seeded ones)?
    virtual UntrainedExportChoice askExportUntrained(QWidget* parent, const QString& title,
        const QString& weightsSource, bool startingWeights, const QStringList& runsWithWeights);
    /// A finished task's outcome that is not an error.
    virtual void showInformation(QWidget* parent, const QString& title, const QString& message);
};

} // namespace netdraft::app
