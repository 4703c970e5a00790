#include "editor/commands/RenameCompositePort.h"

#include "engine/graph/CompositeEditing.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

RenameCompositePort::RenameCompositePort(
    GraphDocument& document, const std::string& composite, bool input, const std::string& from, const std::string& to)
    : ReplaceProjectGraph(document, engine::renameCompositePort(document.project().graph, composite, input, from, to),
        (input ? QCoreApplication::translate("RenameCompositePort", "Rename input port %1.%2 to %3")
               : QCoreApplication::translate("RenameCompositePort", "Rename output port %1.%2 to %3"))
            .arg(toQString(composite), toQString(from), toQString(to)),
        document.scope())
{
}

} // namespace netdraft::editor::commands
