#include "editor/commands/AddBlocks.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

namespace {
QString defaultText(const std::vector<engine::Block>& blocks)
{
    if (blocks.size() == 1)
        return QCoreApplication::translate("AddBlocks", "Add %1").arg(toQString(blocks.front().type));
    return QCoreApplication::translate("AddBlocks", "Add %n block(s)", nullptr, static_cast<int>(blocks.size()));
}
} // namespace

AddBlocks::AddBlocks(GraphDocument& document, std::vector<engine::Block> blocks,
    std::vector<engine::Connection> connections, const QString& text)
    : DocumentCommand(document, text.isEmpty() ? defaultText(blocks) : text)
    , blocks_(std::move(blocks))
    , connections_(std::move(connections))
{
}

void AddBlocks::apply()
{
    for (const engine::Block& block : blocks_)
        insertBlock(block, graph().blocks().size());
    for (const engine::Connection& connection : connections_)
        insertConnection(connection, graph().connections().size());
}

void AddBlocks::revert()
{
    for (auto it = connections_.rbegin(); it != connections_.rend(); ++it)
        removeConnection(*it);
    for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it)
        removeBlock(it->id);
}

} // namespace netdraft::editor::commands
