#include "editor/commands/DocumentCommand.h"

#include "engine/core/Error.h"

#include <QDebug>

#include <algorithm>

namespace netdraft::editor::commands {

DocumentCommand::DocumentCommand(GraphDocument& document, const QString& text)
    : DocumentCommand(document, text, document.scope())
{
}

DocumentCommand::DocumentCommand(GraphDocument& document, const QString& text, const QString& scope)
    : DocumentCommand(document, text, scope, scope)
{
}

DocumentCommand::DocumentCommand(
    GraphDocument& document, const QString& text, const QString& scope, const QString& scopeAfter)
    : document_(document)
    , scope_(scope)
    , undoScope_(scopeAfter)
{
    setText(text);
}

void DocumentCommand::redo()
{
    document_.enterScope(scope_);
    try {
        apply();
    } catch (const engine::Error& error) {
        qWarning() << text() << "refused:" << error.what();
        setObsolete(true);
    }
    document_.updateInference();
}

void DocumentCommand::undo()
{
    document_.enterScope(undoScope_);
    revert();
    document_.updateInference();
}

size_t DocumentCommand::indexOf(const engine::Connection& connection) const
{
    const auto& all = graph().connections();
    return static_cast<size_t>(std::find(all.begin(), all.end(), connection) - all.begin());
}

size_t DocumentCommand::indexOf(const std::string& id) const
{
    const auto& all = graph().blocks();
    return static_cast<size_t>(
        std::find_if(all.begin(), all.end(), [&](const engine::Block& b) { return b.id == id; }) - all.begin());
}

} // namespace netdraft::editor::commands
