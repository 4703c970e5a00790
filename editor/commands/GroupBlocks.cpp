#include "editor/commands/GroupBlocks.h"

#include "engine/graph/CompositeGrouping.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

GroupBlocks::GroupBlocks(GraphDocument& document, const std::vector<std::string>& ids, const std::string& name,
                         const std::string& instanceId)
    : ReplaceGraph(document, engine::groupBlocks(document.graph(), ids, name, instanceId),
                   QCoreApplication::translate("GroupBlocks", "Group %1").arg(QString::fromStdString(name)))
{
}

} // namespace netdraft::editor::commands
