#include "editor/commands/RemoveBlocks.h"

#include "engine/graph/CompositeEditing.h"

#include <QCoreApplication>

#include <algorithm>
#include <set>

namespace netdraft::editor::commands {

RemoveBlocks::RemoveBlocks(GraphDocument& document, const std::vector<std::string>& ids)
    : DocumentCommand(document,
        QCoreApplication::translate("RemoveBlocks", "Delete %n block(s)", nullptr, static_cast<int>(ids.size())))
{
    const std::set<std::string> removed(ids.begin(), ids.end());
    const auto& blocks = graph().blocks();
    for (size_t i = 0; i < blocks.size(); ++i)
        if (removed.count(blocks[i].id))
            blocks_.emplace_back(i, blocks[i]);
    const auto& connections = graph().connections();
    for (size_t i = 0; i < connections.size(); ++i)
        if (removed.count(connections[i].from.block) || removed.count(connections[i].to.block))
            connections_.emplace_back(i, connections[i]);
    if (document.scope().isEmpty())
        return;
    const std::string scope = toStdString(document.scope());
    const engine::Graph& project = document.project().graph;
    engine::PortRepair repair;
    engine::Graph repaired = engine::removeInnerBlocks(project, scope, ids, &repair);
    if (repair.empty())
        return;
    projectChange_.emplace(std::move(repaired), project);
    portReport_ = repair.describe(scope);
}

void RemoveBlocks::apply()
{
    if (projectChange_) {
        replaceProjectGraph(projectChange_->first);
        return;
    }
    for (auto it = connections_.rbegin(); it != connections_.rend(); ++it)
        removeConnection(it->second);
    for (auto it = blocks_.rbegin(); it != blocks_.rend(); ++it)
        removeBlock(it->second.id);
}

void RemoveBlocks::revert()
{
    if (projectChange_) {
        replaceProjectGraph(projectChange_->second);
        return;
    }
    // Ascending indices: each insertion lands where it was because all earlier ones are back.
    for (const auto& [index, block] : blocks_)
        insertBlock(block, index);
    for (const auto& [index, connection] : connections_)
        insertConnection(connection, index);
}

} // namespace netdraft::editor::commands
