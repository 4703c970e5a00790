#include "editor/commands/ReplaceGraph.h"

namespace netdraft::editor::commands {

ReplaceGraph::ReplaceGraph(GraphDocument& document, engine::Graph after, const QString& text)
    : DocumentCommand(document, text)
    , before_(document.graph())
    , after_(std::move(after))
{
}

void ReplaceGraph::apply()
{
    replaceGraph(after_);
}

void ReplaceGraph::revert()
{
    replaceGraph(before_);
}

} // namespace netdraft::editor::commands
