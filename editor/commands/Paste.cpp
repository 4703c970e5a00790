#include "editor/commands/Paste.h"

#include <QCoreApplication>

#include <cctype>
#include <map>
#include <set>

namespace netdraft::editor::commands {

std::string idPrefix(const std::string& id)
{
    size_t end = id.size();
    while (end > 0 && std::isdigit(static_cast<unsigned char>(id[end - 1])))
        --end;
    return end == 0 ? "block" : id.substr(0, end);
}

std::string nextFreeName(const std::string& name, const std::set<std::string>& taken)
{
    size_t end = name.size();
    while (end > 0 && std::isdigit(static_cast<unsigned char>(name[end - 1])))
        --end;
    const std::string base = name.substr(0, end);
    const std::string digits = name.substr(end);
    // The number after the copied one ("features2" → "features3"); a name without one starts at 2.
    long long number = digits.empty() || digits.size() > 15 ? 2 : std::stoll(digits) + 1;
    std::string candidate;
    do
        candidate = base + std::to_string(number++);
    while (taken.count(candidate));
    return candidate;
}

Paste::Paste(GraphDocument& document, const BlockFragment& fragment, engine::Point offset, const QString& text)
    : DocumentCommand(document,
        text.isEmpty() ? QCoreApplication::translate(
            "Paste", "Paste %n block(s)", nullptr, static_cast<int>(fragment.blocks.size()))
                       : text)
{
    // A scratch copy of the graph reserves each new id so that two pasted "conv1" get conv3 and conv4.
    engine::Graph reserved = graph();
    std::set<std::string> shownNames; // what the canvas shows: display names, ids of unnamed blocks
    for (const engine::Block& block : reserved.blocks())
        shownNames.insert(block.displayName());
    std::map<std::string, std::string> renamed;
    for (engine::Block block : fragment.blocks) {
        const std::string original = block.id;
        if (reserved.findBlock(block.id))
            block.id = reserved.uniqueId(idPrefix(block.id));
        if (shownNames.count(block.displayName())) // a named copy, or a fresh id another block shows as its name
            block.name = nextFreeName(block.displayName(), shownNames);
        shownNames.insert(block.displayName());
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
