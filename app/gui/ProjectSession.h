#pragma once
// The open project: its document (the project with its settings, and the undo stack), where it is
// saved, and its recovery file. File I/O returns success plus an error text for the user.

#include "engine/project/Project.h"

#include <QDateTime>
#include <QObject>
#include <QString>

class QTimer;

namespace netdraft::editor {
class GraphDocument;
}

namespace netdraft::app {

class ProjectSession : public QObject {
    Q_OBJECT
public:
    explicit ProjectSession(QObject* parent = nullptr);
    ~ProjectSession() override;

    editor::GraphDocument& document() const { return *document_; }
    /// The whole project as it is now (the document's).
    engine::Project project() const;

    /// The saved file, empty for a new project.
    QString filePath() const { return filePath_; }
    /// "classic_cnn.netdraft", or "Untitled" for a new project.
    QString displayName() const;
    bool isModified() const;

    /// Replaces the project (new from template, restore); `filePath` may be empty.
    void reset(engine::Project project, const QString& filePath, bool modified = false);
    /// Loads a file as a whole or not at all; `error` receives every problem, one per line.
    bool open(const QString& path, QString* error);
    /// Saves atomically, marks the undo stack clean and drops the recovery file. Starting weights
    /// (Project::initialWeights) that are not beside `path` yet are copied there first, as
    /// "NAME.weights.pt" (engine::freeWeightsFileName: "NAME.weights-2.pt" when a file of that name is
    /// there that the project replaced at `path` does not name), and the saved file names the copy. A
    /// plain Save keeps a file the project names beside it.
    bool save(const QString& path, QString* error);
    /// The project's starting weights file (absolute, or relative to the working folder for an
    /// untitled project that names a relative one); empty when it has none.
    QString initialWeightsFile() const;

    /// Where unsaved changes of this project are kept between autosaves.
    QString recoveryPath() const;
    static QString recoveryPathFor(const QString& projectPath);
    /// Writes the recovery file now; false with `error` when it cannot.
    bool writeRecovery(QString* error = nullptr);
    void removeRecovery();
    /// A recovery file for `projectPath` that is newer than the project file, if any.
    static QString newerRecoveryFor(const QString& projectPath);
    /// Autosave period; the default is 60 s.
    void setAutosaveInterval(int milliseconds);

Q_SIGNALS:
    void modifiedChanged(bool modified);
    void filePathChanged(const QString& path);
    /// The project was replaced as a whole.
    void projectReplaced();
    void autosaved(const QString& recoveryPath);

private:
    /// Copies the starting weights beside `path` when they are elsewhere; returns the name the saved
    /// project gives them (empty when it has none). Throws engine::Error when they cannot be copied.
    std::string carryInitialWeights(const QString& path) const;

    editor::GraphDocument* document_;
    QString filePath_;
    QTimer* autosaveTimer_;
};

} // namespace netdraft::app
