#include "editor/commands/ReplaceProjectGraph.h"

namespace netdraft::editor::commands {

ReplaceProjectGraph::ReplaceProjectGraph(
    GraphDocument& document, engine::Graph after, const QString& text, const QString& scope)
    : ReplaceProjectGraph(document, std::move(after), text, scope, scope)
{
}

ReplaceProjectGraph::ReplaceProjectGraph(
    GraphDocument& document, engine::Graph after, const QString& text, const QString& scope, const QString& scopeAfter)
    : DocumentCommand(document, text, scope, scopeAfter)
    , before_(document.project().graph)
    , after_(std::move(after))
{
}

void ReplaceProjectGraph::apply()
{
    replaceProjectGraph(after_, scopeAfter());
}

void ReplaceProjectGraph::revert()
{
    replaceProjectGraph(before_, scope());
}

} // namespace netdraft::editor::commands
