#include "editor/commands/ReplaceProjectGraph.h"

namespace netdraft::editor::commands {

ReplaceProjectGraph::ReplaceProjectGraph(
    GraphDocument& document, engine::Graph after, const QString& text, const QString& scope)
    : DocumentCommand(document, text, scope)
    , before_(document.project().graph)
    , after_(std::move(after))
{
}

void ReplaceProjectGraph::apply()
{
    replaceProjectGraph(after_);
}

void ReplaceProjectGraph::revert()
{
    replaceProjectGraph(before_);
}

} // namespace netdraft::editor::commands
