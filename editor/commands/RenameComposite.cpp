#include "editor/commands/RenameComposite.h"

#include "engine/graph/CompositeEditing.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

QString scopeOutside(const GraphDocument& document, const std::string& name)
{
    return document.scope() == toQString(name) ? QString() : document.scope();
}

RenameComposite::RenameComposite(GraphDocument& document, const std::string& from, const std::string& to)
    : ReplaceProjectGraph(document, engine::renameComposite(document.project().graph, from, to),
        QCoreApplication::translate("RenameComposite", "Rename composite %1 to %2").arg(toQString(from), toQString(to)),
        document.scope(), document.scope() == toQString(from) ? toQString(to) : document.scope())
{
}

} // namespace netdraft::editor::commands
