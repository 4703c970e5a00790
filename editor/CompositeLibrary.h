#pragma once
// The user's library of composite blocks: one JSON file per composite in a folder under
// QStandardPaths::AppDataLocation, shared by all projects.

#include "engine/graph/Graph.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace netdraft::editor {

/// Reads and writes library files. A file is a Netdraft project document (format version 2) whose
/// graph has no blocks and holds the composite with the composites it uses.
class CompositeLibrary {
public:
    /// The folder: <AppDataLocation>/composites, or `folder` when given (tests).
    explicit CompositeLibrary(QString folder = {});

    const QString& folder() const { return folder_; }
    /// Names of the composites in the folder, sorted.
    QStringList names() const;
    /// Saves composite `name` of `graph` (and the composites it uses) as <name>.json; returns an error text or empty.
    QString save(const engine::Graph& graph, const std::string& name) const;
    /// The definitions stored for `name`, with the composites it uses; nullopt with `error` set when unreadable.
    std::optional<std::vector<engine::CompositeDefinition>> load(const QString& name, QString* error = nullptr) const;
    /// `graph` with library composite `name` (and what it uses) added where the graph lacks them.
    std::optional<engine::Graph> importInto(const engine::Graph& graph, const QString& name, QString* error = nullptr) const;

private:
    QString folder_;
};

} // namespace netdraft::editor
