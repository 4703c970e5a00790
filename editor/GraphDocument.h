#pragma once
// The editor's document: the project (the one truth), its undo stack and the latest shape inference.
// Views listen to its fine-grained signals and change it only by pushing undoable commands.

#include "engine/graph/Block.h"
#include "engine/inference/ShapeInference.h"
#include "engine/project/Project.h"

#include <QObject>
#include <QPointF>
#include <QString>
#include <QUndoStack>

#include <optional>

namespace netdraft::editor {

namespace commands {
class DocumentCommand;
}

/// Owns the project and its undo history; re-runs shape inference after every change.
class GraphDocument : public QObject {
    Q_OBJECT
public:
    explicit GraphDocument(QObject* parent = nullptr);
    explicit GraphDocument(engine::Project project, QObject* parent = nullptr);

    const engine::Project& project() const { return project_; }
    const engine::Graph& graph() const { return project_.graph; }
    const engine::InferenceResult& inference() const { return inference_; }
    QUndoStack* undoStack() { return &undoStack_; }

    /// Replaces the whole project (new, open) and clears the undo history.
    void resetProject(engine::Project project);
    /// Runs `command` and records it for undo; every change to the project goes through here.
    void push(QUndoCommand* command) { undoStack_.push(command); }

    /// A block of `type` with default parameters and a fresh id, its top-left at `position`.
    engine::Block makeBlock(const QString& type, QPointF position) const;
    /// Adds a block of `type` through an undoable command; returns its id (empty for unknown types).
    QString addBlock(const QString& type, QPointF position);

Q_SIGNALS:
    /// Everything changed (resetProject): views rebuild.
    void projectReset();
    void blockAdded(const QString& id);
    void blockRemoved(const QString& id);
    /// Parameters or display name changed.
    void blockChanged(const QString& id);
    void blockMoved(const QString& id);
    void connectionAdded(const netdraft::engine::Connection& connection);
    void connectionRemoved(const netdraft::engine::Connection& connection);
    /// inference() holds the result for the current graph.
    void inferenceUpdated();

private:
    friend class commands::DocumentCommand;

    // Primitive edits, used only by the commands; each emits its signal. Indices put blocks and
    // connections back exactly where they were, so that undo restores an identical project.
    void insertBlock(const engine::Block& block, size_t index);
    engine::Block removeBlock(const std::string& id);
    void insertConnection(const engine::Connection& connection, size_t index);
    void removeConnection(const engine::Connection& connection);
    void setPosition(const std::string& id, engine::Point position);
    void setParameter(const std::string& id, const std::string& name, const std::optional<engine::ParamValue>& value);
    void setDisplayName(const std::string& id, const std::string& name);
    void updateInference();

    engine::Project project_;
    engine::InferenceResult inference_;
    QUndoStack undoStack_;
};

/// Ids of the engine as Qt strings and back.
inline QString toQString(const std::string& text)
{
    return QString::fromStdString(text);
}
inline std::string toStdString(const QString& text)
{
    return text.toStdString();
}

} // namespace netdraft::editor
