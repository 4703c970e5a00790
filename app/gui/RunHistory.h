#pragma once
// The runs of the open project and where their files live. A saved project keeps its history beside
// the project file as "<name>.runs.json" (the project format has no "runs" section) and each run's
// files (checkpoint.pt, weights.pt, the trained design) in "<name>.runs/run-N/". An untitled project
// keeps them in a folder of its own in the app data until it is saved, when they move to the project.

#include "widgets/RunRecord.h"

#include <QString>

#include <vector>

namespace netdraft::app {

class RunHistory {
public:
    /// An untitled project's empty history.
    RunHistory();

    const std::vector<widgets::RunRecord>& runs() const { return runs_; }
    const widgets::RunRecord* find(int number) const;
    int nextNumber() const { return runs_.empty() ? 1 : runs_.back().number + 1; }
    void add(widgets::RunRecord record) { runs_.push_back(std::move(record)); }

    /// The project file the history belongs to; empty while untitled.
    QString projectPath() const { return projectPath_; }
    /// Run `number`'s folder: "<dir>/<name>.runs/run-N", or in the app data while untitled.
    QString folder(int number) const;
    QString weightsPath(int number) const;
    /// The design and settings run `number` trained, as a project file (what its gallery and its
    /// export need when the project has changed since).
    QString snapshotPath(int number) const;
    /// Why run `number` has no weights to export or show ("it failed before training began"); empty
    /// when weightsPath() exists.
    QString whyNoWeights(int number) const;

    /// Starts an empty history for a new untitled project, in a fresh app-data folder. When the
    /// previous history was untitled and `discardPrevious`, its run folders are deleted.
    void startUntitled(bool discardPrevious);
    /// Reads the history of `projectPath`; a missing file is an empty history.
    bool load(const QString& projectPath, QString* error);
    /// Makes `projectPath` the home of these runs and writes the history there. Run folders move
    /// from an untitled project's app-data folder and are copied from another saved project (which
    /// keeps its own), except run `stillWriting` (a run going on; adopt() brings it when it ends).
    bool saveAs(const QString& projectPath, int stillWriting, QString* error);
    /// Writes the history beside the project (nothing while untitled).
    bool save(QString* error) const;
    /// Moves the folder `from` (where a run wrote while the project was saved elsewhere) to run
    /// `number`'s folder.
    bool adopt(int number, const QString& from, QString* error) const;

    /// "/dir/cnn.netdraft" → "/dir/cnn.runs.json"; empty for an unsaved project.
    static QString pathFor(const QString& projectPath);
    /// "/dir/cnn.netdraft" → "/dir/cnn.runs".
    static QString runsFolderFor(const QString& projectPath);

private:
    QString projectPath_;
    QString untitledFolder_; ///< the runs of an untitled project; empty once saved
    std::vector<widgets::RunRecord> runs_;
};

} // namespace netdraft::app
