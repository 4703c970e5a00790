#include "editor/commands/MoveBlocks.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

MoveBlocks::MoveBlocks(GraphDocument& document, const std::map<std::string, engine::Point>& targets)
    : DocumentCommand(document,
        QCoreApplication::translate("MoveBlocks", "Move %n block(s)", nullptr, static_cast<int>(targets.size())))
{
    for (const auto& [id, to] : targets)
        moves_[id] = { graph().block(id).position, to };
}

bool MoveBlocks::mergeWith(const QUndoCommand* other)
{
    const auto* next = static_cast<const MoveBlocks*>(other);
    if (next->moves_.size() != moves_.size())
        return false;
    for (const auto& [id, move] : next->moves_)
        if (!moves_.count(id))
            return false;
    bool unchanged = true;
    for (const auto& [id, move] : next->moves_) {
        moves_[id].to = move.to;
        unchanged = unchanged && moves_[id].to == moves_[id].from;
    }
    setObsolete(unchanged); // moved back to where it started: nothing to undo
    return true;
}

void MoveBlocks::apply()
{
    for (const auto& [id, move] : moves_)
        setPosition(id, move.to);
}

void MoveBlocks::revert()
{
    for (const auto& [id, move] : moves_)
        setPosition(id, move.from);
}

} // namespace netdraft::editor::commands
