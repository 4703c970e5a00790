#include "editor/commands/DeleteComposite.h"

#include "editor/commands/RenameComposite.h"
#include "engine/graph/CompositeEditing.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

DeleteComposite::DeleteComposite(GraphDocument& document, const std::string& name, bool ungroupInstances)
    : ReplaceProjectGraph(document,
        ungroupInstances ? engine::ungroupAndRemoveComposite(document.project().graph, name)
                         : engine::removeCompositeDefinition(document.project().graph, name),
        ungroupInstances
            ? QCoreApplication::translate("DeleteComposite", "Ungroup and delete composite %1").arg(toQString(name))
            : QCoreApplication::translate("DeleteComposite", "Delete composite %1").arg(toQString(name)),
        scopeOutside(document, name))
{
}

} // namespace netdraft::editor::commands
