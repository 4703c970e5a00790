#include "editor/ConnectionRules.h"

#include "editor/BlockGeometry.h"

#include <QCoreApplication>

#include <algorithm>
#include <set>
#include <vector>

namespace netdraft::editor {

bool reaches(const engine::Graph& graph, const std::string& from, const std::string& to)
{
    std::vector<std::string> pending { from };
    std::set<std::string> seen;
    while (!pending.empty()) {
        std::string id = pending.back();
        pending.pop_back();
        if (id == to)
            return true;
        if (!seen.insert(id).second)
            continue;
        for (const engine::Connection& c : graph.connectionsFrom(id))
            pending.push_back(c.to.block);
    }
    return false;
}

std::optional<engine::Connection> displacedConnection(const engine::Graph& graph, const engine::Connection& connection,
    const std::optional<engine::Connection>& replacing)
{
    auto existing = graph.connectionInto(connection.to);
    if (!existing || (replacing && *existing == *replacing))
        return std::nullopt;
    return existing;
}

std::optional<QString> whyCannotConnect(const engine::Graph& graph, const engine::Connection& connection,
    const std::optional<engine::Connection>& replacing, OccupiedInput occupied)
{
    auto tr = [](const char* text) { return QCoreApplication::translate("ConnectionRules", text); };
    const engine::Block* source = graph.findBlock(connection.from.block);
    const engine::Block* target = graph.findBlock(connection.to.block);
    if (!source || !target)
        return tr("no such block");
    if (source == target)
        return tr("a block cannot feed itself");
    const auto outputs = geometry::outputPorts(*source, graph);
    const auto inputs = geometry::inputPorts(*target, graph);
    if (std::find(outputs.begin(), outputs.end(), connection.from.port) == outputs.end())
        return tr("%1 has no output '%2'")
            .arg(QString::fromStdString(source->id), QString::fromStdString(connection.from.port));
    if (std::find(inputs.begin(), inputs.end(), connection.to.port) == inputs.end())
        return tr("%1 has no input '%2'")
            .arg(QString::fromStdString(target->id), QString::fromStdString(connection.to.port));
    if (occupied == OccupiedInput::Refuse && displacedConnection(graph, connection, replacing))
        return tr("input %1.%2 is already connected")
            .arg(QString::fromStdString(connection.to.block), QString::fromStdString(connection.to.port));
    if (reaches(graph, connection.to.block, connection.from.block))
        return tr("this connection would create a cycle");
    return std::nullopt;
}

} // namespace netdraft::editor
