#pragma once
// Base of the editor's undo commands: applies a change through the document's primitive edits and
// re-runs shape inference afterwards.

#include "editor/GraphDocument.h"

#include <QUndoCommand>

namespace netdraft::editor::commands {

/// Ids for QUndoCommand::id(), so that the undo stack merges repeated edits.
enum CommandId { kMoveBlocksId = 1, kSetParameterId = 2, kRenameBlockId = 3 };

/// Subclasses implement apply() and revert(); a change the graph refuses (engine::Error) makes the
/// command obsolete instead of leaving a half-applied step on the stack. A command made inside a
/// composite block reopens it before it redoes or undoes (undo shows where the change happens).
class DocumentCommand : public QUndoCommand {
public:
    DocumentCommand(GraphDocument& document, const QString& text);
    /// A command that redoes and undoes in `scope` (empty: the project's graph) whatever is open now.
    DocumentCommand(GraphDocument& document, const QString& text, const QString& scope);
    /// A command that redoes in `scope` and undoes in `scopeAfter` (renaming the open composite).
    DocumentCommand(GraphDocument& document, const QString& text, const QString& scope, const QString& scopeAfter);

    void redo() final;
    void undo() final;

protected:
    virtual void apply() = 0;
    virtual void revert() = 0;

    GraphDocument& document() const { return document_; }
    /// Where redo runs, and where undo runs (they differ when the command renames the open composite).
    const QString& scope() const { return scope_; }
    const QString& scopeAfter() const { return undoScope_; }
    const engine::Graph& graph() const { return document_.graph(); }

    void insertBlock(const engine::Block& block, size_t index) { document_.insertBlock(block, index); }
    engine::Block removeBlock(const std::string& id) { return document_.removeBlock(id); }
    void insertConnection(const engine::Connection& c, size_t index) { document_.insertConnection(c, index); }
    void removeConnection(const engine::Connection& c) { document_.removeConnection(c); }
    void setPosition(const std::string& id, engine::Point p) { document_.setPosition(id, p); }
    void setParameter(const std::string& id, const std::string& name, const std::optional<engine::ParamValue>& v)
    {
        document_.setParameter(id, name, v);
    }
    void setDisplayName(const std::string& id, const std::string& name) { document_.setDisplayName(id, name); }
    void setFrozen(const std::string& id, bool frozen) { document_.setFrozen(id, frozen); }
    void setLearningRateScale(const std::string& id, double scale) { document_.setLearningRateScale(id, scale); }
    void replaceGraph(const engine::Graph& graph) { document_.replaceGraph(graph); }
    void replaceProjectGraph(const engine::Graph& graph, const QString& scope = QString())
    {
        document_.replaceProjectGraph(graph, scope);
    }

    /// Index of `connection` in the graph (connections().size() when absent).
    size_t indexOf(const engine::Connection& connection) const;
    /// Index of block `id` in the graph (blocks().size() when absent).
    size_t indexOf(const std::string& id) const;

private:
    GraphDocument& document_;
    QString scope_;
    QString undoScope_;
};

} // namespace netdraft::editor::commands
