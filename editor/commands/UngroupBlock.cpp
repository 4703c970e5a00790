#include "editor/commands/UngroupBlock.h"

#include "engine/graph/CompositeGrouping.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

UngroupBlock::UngroupBlock(GraphDocument& document, const std::string& instanceId)
    : ReplaceGraph(document, engine::ungroupBlock(document.graph(), instanceId),
                   QCoreApplication::translate("UngroupBlock", "Ungroup %1").arg(QString::fromStdString(instanceId)))
{
}

} // namespace netdraft::editor::commands
