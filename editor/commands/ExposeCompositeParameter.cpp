#include "editor/commands/ExposeCompositeParameter.h"

#include "engine/graph/CompositeParameters.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

ExposeCompositeParameter::ExposeCompositeParameter(GraphDocument& document, const std::string& composite,
    const std::string& blockId, const std::string& param, const std::string& name)
    : ReplaceProjectGraph(document,
        engine::exposeCompositeParameter(document.project().graph, composite, blockId, param, name),
        QCoreApplication::translate("ExposeCompositeParameter", "Expose %1.%2 as %3's parameter %4")
            .arg(toQString(blockId), toQString(param), toQString(composite), toQString(name)),
        document.scope())
{
}

RemoveCompositeParameter::RemoveCompositeParameter(
    GraphDocument& document, const std::string& composite, const std::string& name)
    : ReplaceProjectGraph(document, engine::removeCompositeParameter(document.project().graph, composite, name),
        QCoreApplication::translate("ExposeCompositeParameter", "Remove %1's parameter %2")
            .arg(toQString(composite), toQString(name)),
        document.scope())
{
}

} // namespace netdraft::editor::commands
