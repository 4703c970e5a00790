#include "editor/commands/UngroupBlock.h"

#include "engine/graph/CompositeGrouping.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

namespace {

/// The project graph after ungrouping: inside an open composite its ports follow the inner blocks.
engine::Graph ungrouped(const GraphDocument& document, const std::string& instanceId)
{
    if (document.scope().isEmpty())
        return engine::ungroupBlock(document.project().graph, instanceId);
    return engine::ungroupInsideComposite(document.project().graph, toStdString(document.scope()), instanceId);
}

} // namespace

UngroupBlock::UngroupBlock(GraphDocument& document, const std::string& instanceId)
    : ReplaceProjectGraph(document, ungrouped(document, instanceId),
        QCoreApplication::translate("UngroupBlock", "Ungroup %1").arg(QString::fromStdString(instanceId)),
        document.scope())
{
}

} // namespace netdraft::editor::commands
