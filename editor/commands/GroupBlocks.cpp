#include "editor/commands/GroupBlocks.h"

#include "engine/graph/CompositeGrouping.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

namespace {

/// The project graph after grouping: inside an open composite its ports follow the grouped blocks.
engine::Graph grouped(const GraphDocument& document, const std::vector<std::string>& ids, const std::string& name,
    const std::string& instanceId)
{
    if (document.scope().isEmpty())
        return engine::groupBlocks(document.project().graph, ids, name, instanceId);
    return engine::groupInsideComposite(document.project().graph, toStdString(document.scope()), ids, name, instanceId);
}

} // namespace

GroupBlocks::GroupBlocks(GraphDocument& document, const std::vector<std::string>& ids, const std::string& name,
    const std::string& instanceId)
    : ReplaceProjectGraph(document, grouped(document, ids, name, instanceId),
        QCoreApplication::translate("GroupBlocks", "Group %1").arg(QString::fromStdString(name)), document.scope())
{
}

} // namespace netdraft::editor::commands
