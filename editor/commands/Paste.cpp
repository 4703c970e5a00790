#include "editor/commands/Paste.h"

#include <QCoreApplication>

#include <cctype>
#include <map>

namespace netdraft::editor::commands {

std::string idPrefix(const std::string& id)
{
    size_t end = id.size();
    while (end > 0 && std::isdigit(static_cast<unsigned char>(id[end - 1])))
        --end;
    return end == 0 ? "block" : id.substr(0, end);
}

Paste::Paste(GraphDocument& document, const BlockFragment& fragment, engine::Point offset, const QString& text)
    : DocumentCommand(document,
        text.isEmpty() ? QCoreApplication::translate(
            "Paste", "Paste %n block(s)", nullptr, static_cast<int>(fragment.blocks.size()))
                       : text)
{
    // A scratch copy of the graph reserves each new id so that two pasted "conv1" get conv3 and conv4.
    engine::Graph reserved = graph();
    std::map<std::string, std::string> renamed;
    for (engine::Block block : fragment.blocks) {
        const std::string original = block.id;
        if (reserved.findBlock(block.id))
            block.id = reserved.uniqueId(idPrefix(block.id));
        block.position = { block.position.x + offset.x, block.position.y + offset.y };
        reserved.addBlock(block);
        renamed[original] = block.id;
        pastedIds_.push_back(block.id);
        fragment_.blocks.push_back(std::move(block));
    }
    for (engine::Connection connection : fragment.connections) {
        connection.from.block = renamed.at(connection.from.block);
        connection.to.block = renamed.at(connection.to.block);
        fragment_.connections.push_back(std::move(connection));
    }
}

void Paste::apply()
{
    for (const engine::Block& block : fragment_.blocks)
        insertBlock(block, graph().blocks().size());
    for (const engine::Connection& connection : fragment_.connections)
        insertConnection(connection, graph().connections().size());
}

void Paste::revert()
{
    for (auto it = fragment_.connections.rbegin(); it != fragment_.connections.rend(); ++it)
        removeConnection(*it);
    for (auto it = fragment_.blocks.rbegin(); it != fragment_.blocks.rend(); ++it)
        removeBlock(it->id);
}

} // namespace netdraft::editor::commands
