#include "editor/commands/AutoLayout.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

AutoLayout::AutoLayout(GraphDocument& document, const std::map<std::string, engine::Point>& positions)
    : DocumentCommand(document, QCoreApplication::translate("AutoLayout", "Auto-layout"))
    , after_(positions)
{
    for (const auto& [id, position] : positions)
        before_[id] = graph().block(id).position;
}

void AutoLayout::apply()
{
    for (const auto& [id, position] : after_)
        setPosition(id, position);
}

void AutoLayout::revert()
{
    for (const auto& [id, position] : before_)
        setPosition(id, position);
}

} // namespace netdraft::editor::commands
