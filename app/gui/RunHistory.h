#pragma once
// The runs of the open project. The project format has no "runs" section, so the history is kept
// beside the project file as "<name>.runs.json" (written when the project is saved or a run ends).

#include "widgets/RunRecord.h"

#include <QString>

#include <vector>

namespace netdraft::app {

class RunHistory {
public:
    const std::vector<widgets::RunRecord>& runs() const { return runs_; }
    const widgets::RunRecord* find(int number) const;
    int nextNumber() const { return runs_.empty() ? 1 : runs_.back().number + 1; }
    void add(widgets::RunRecord record) { runs_.push_back(std::move(record)); }
    void clear() { runs_.clear(); }

    /// "/dir/cnn.netdraft" → "/dir/cnn.runs.json"; empty for an unsaved project.
    static QString pathFor(const QString& projectPath);
    /// Reads the history of `projectPath`; a missing file is an empty history.
    bool load(const QString& projectPath, QString* error);
    /// Writes atomically next to `projectPath`.
    bool save(const QString& projectPath, QString* error) const;

private:
    std::vector<widgets::RunRecord> runs_;
};

} // namespace netdraft::app
