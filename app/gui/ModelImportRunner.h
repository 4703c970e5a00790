#pragma once
// Runs one model import (engine/import/ImportService) on a worker thread, so that the window stays
// responsive while a model is loaded, mapped and checked; the outcome comes back as a signal. The
// imported project is untitled: its starting weights are written to a folder of the app's data
// (importsFolder()) and named by absolute path until the project is saved beside them. The runner
// removes the folders it made once nothing names them (app/gui/ImportsFolder.h).

#include "engine/import/ImportService.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QThread>

#include <optional>

namespace netdraft::app {

class ModelImportRunner : public QObject {
    Q_OBJECT
public:
    explicit ModelImportRunner(QObject* parent = nullptr);
    /// Waits for a running import: its weights file must not be cut off half written.
    ~ModelImportRunner() override;

    /// Imports `modelPath` (format from its suffix) with `inputShape` (empty: what the file or the first
    /// layer says) on a new thread; false when an import is already running.
    bool start(const QString& modelPath, std::vector<int64_t> inputShape, bool keepUnsupported = false,
        bool restoreProject = true);
    bool isRunning() const { return thread_ != nullptr; }
    /// Blocks until the running import (if any) ended; its finished() signal is still delivered.
    void wait();
    /// The last successful import's report: its project names the weights file by absolute path.
    const std::optional<engine::ImportReport>& report() const { return report_; }

    /// Where imported models' starting weights wait until their project is saved (the app's data).
    static QString importsFolder();
    /// The folders this runner's imports made that are still there (not the running import's).
    const QStringList& folders() const { return folders_; }
    /// Removes the folders of finished imports that hold no file of `inUse` (absolute paths: the open
    /// project's starting weights, …) and that no recovery file names; on destruction all that no recovery
    /// file names. A failed import's folder goes at once.
    void removeUnusedFolders(const QStringList& inUse);
    /// "3,224,224" or "3x224x224" → {3, 224, 224}; empty text → {}; nullopt for anything else.
    static std::optional<std::vector<int64_t>> parseShape(const QString& text);

Q_SIGNALS:
    void runningChanged(bool running);
    /// `ok` false: `message` is the engine's error (it names the file and, for ops without a block,
    /// each op, where it comes from and how often).
    void finished(bool ok, const QString& message);

private:
    QThread* thread_ = nullptr; ///< running the import
    QPointer<QThread> finishing_; ///< the last import's thread, ending (it deletes itself)
    std::optional<engine::ImportReport> report_;
    QString runningFolder_; ///< where the running import writes; never removed while it runs
    QStringList folders_; ///< made by finished imports, not removed yet
};

} // namespace netdraft::app
