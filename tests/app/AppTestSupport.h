#pragma once
// Shared by the app tests: prompts answered in code, a tiny trainable project, isolated settings
// and data folders, and a probe of the event loop's longest stall.

#include "app/gui/Prompts.h"
#include "engine/project/Project.h"

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>
#include <vector>

namespace netdraft::app {
class MainWindow;
}

namespace netdraft::tests {

/// Records every question and answers with the preset choices; never opens a dialog.
class ScriptedPrompts : public app::Prompts {
public:
    SaveChoice saveChoice = SaveChoice::Discard;
    bool restoreRecovery = true;
    QString savePath;
    int saveQuestions = 0;
    int restoreQuestions = 0;
    QStringList loadErrors;
    QStringList errors;
    QString exportPath; ///< the answer to "where to export"
    QStringList exportQuestions; ///< the suggestions offered
    QStringList information; ///< "title: message" of every non-error message

    SaveChoice askSaveChanges(QWidget*, const QString&) override;
    bool stopTrials = false; ///< the answer to "N trials are still running: stop them and quit?"
    std::vector<std::pair<int, int>> trialQuestions; ///< (running, queued) of every such question
    bool askStopTrials(QWidget*, int running, int queued) override
    {
        trialQuestions.emplace_back(running, queued);
        return stopTrials;
    }
    bool askRestoreRecovery(QWidget*, const QString&, const QDateTime&) override;
    void showLoadErrors(QWidget*, const QString& path, const QString& details) override;
    void showError(QWidget*, const QString& title, const QString& message) override;
    QStringList saveSuggestions; ///< the paths offered by every "save as" question
    QString askSavePath(QWidget*, const QString& suggestion) override
    {
        saveSuggestions << suggestion;
        return savePath;
    }
    QString askOpenPath(QWidget*, const QString&) override { return {}; }
    QString importPath; ///< the answer to File ▸ Import Model…'s file question
    QString askImportPath(QWidget*, const QString&) override { return importPath; }
    /// The answers to the import questions in turn (an input shape, nullopt: cancel); cancel when used up.
    std::vector<std::optional<QString>> importAnswers;
    /// "path|format|code (when it runs code)|reason" of every import question, then "|project NAME" when it
    /// said the file opens as the project Netdraft exported it from
    QStringList importQuestions;
    std::optional<QString> askImport(QWidget*, const QString& path, const QString& format, bool runsCode,
        const QString&, const QString& reason, const QString& exportedProject) override
    {
        importQuestions << QStringList { path, format, runsCode ? "code" : "", reason }.join('|')
                + (exportedProject.isEmpty() ? QString() : "|project " + exportedProject);
        if (importAnswers.empty())
            return std::nullopt;
        const std::optional<QString> answer = importAnswers.front();
        importAnswers.erase(importAnswers.begin());
        return answer;
    }
    bool keepUnsupported = false; ///< the answer to "import operators without a block as opaque blocks?"
    QStringList keepQuestions; ///< "file name|the import's list" of every such question
    bool askKeepUnsupported(QWidget*, const QString& fileName, const QString& list) override
    {
        keepQuestions << fileName + "|" + list;
        return keepUnsupported;
    }
    bool importNetworkAlone = false; ///< the answer to "the project inside cannot be opened: the network alone?"
    QStringList networkAloneQuestions; ///< "file name|the import's message" of every such question
    bool askImportNetworkAlone(QWidget*, const QString& fileName, const QString& message) override
    {
        networkAloneQuestions << fileName + "|" + message;
        return importNetworkAlone;
    }
    QString askExportPath(QWidget*, const QString&, const QString& suggestion, const QString&) override
    {
        exportQuestions << suggestion;
        return exportPath;
    }
    UntrainedExportChoice untrainedChoice; ///< the answer to "no trained weights: what now?" (Cancel)
    int untrainedQuestions = 0;
    QStringList offeredRuns; ///< the runs offered by the last such question
    QString untrainedSource; ///< which weights the last such question said would be exported
    UntrainedExportChoice askExportUntrained(
        QWidget*, const QString&, const QString& weightsSource, bool, const QStringList& runs) override
    {
        ++untrainedQuestions;
        untrainedSource = weightsSource;
        offeredRuns = runs;
        return untrainedChoice;
    }
    void showInformation(QWidget*, const QString& title, const QString& message) override
    {
        information << title + ": " + message;
    }
};

/// A shown main window whose questions a new ScriptedPrompts answers; `*prompts` (when given) points
/// at it, the window owns it.
std::unique_ptr<app::MainWindow> shownWindow(ScriptedPrompts** prompts = nullptr);

/// Points QSettings and QStandardPaths at a fresh temporary folder for this test class.
void isolateUserFolders(const QTemporaryDir& folder);

/// projects/classic_cnn.netdraft when it exists, else an equivalent small CNN built in code; trained
/// on `samples` generated shapes for `epochs` epochs in batches of `batchSize`.
engine::Project tinyProject(int64_t samples = 200, int64_t epochs = 1, int64_t batchSize = 50);
/// Saves `project` as `name` in `folder` and returns the path.
QString saveProject(const engine::Project& project, const QTemporaryDir& folder, const QString& name);

/// Measures the longest gap between ticks of a 5 ms timer: how long the event loop was blocked.
class StallProbe : public QObject {
public:
    StallProbe();
    qint64 worstMilliseconds() const { return worst_; }
    /// How many ticks came more than `milliseconds` late.
    int stallsOver(qint64 milliseconds) const;
    int ticks() const { return int(lateness_.size()); }

private:
    std::vector<qint64> lateness_;
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = 0;
    qint64 worst_ = 0;
};

} // namespace netdraft::tests
