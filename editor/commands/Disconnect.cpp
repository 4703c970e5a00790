#include "editor/commands/Disconnect.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

Disconnect::Disconnect(GraphDocument& document, engine::Connection connection)
    : DocumentCommand(document,
        QCoreApplication::translate("Disconnect", "Disconnect %1")
            .arg(toQString(engine::describeConnection(connection))))
    , connection_(std::move(connection))
{
}

void Disconnect::apply()
{
    index_ = indexOf(connection_);
    removeConnection(connection_);
}

void Disconnect::revert()
{
    insertConnection(connection_, index_);
}

} // namespace netdraft::editor::commands
