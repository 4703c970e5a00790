#include "editor/commands/Connect.h"

#include <QCoreApplication>

namespace netdraft::editor::commands {

Connect::Connect(GraphDocument& document, engine::Connection connection)
    : DocumentCommand(document,
        QCoreApplication::translate("Connect", "Connect %1").arg(toQString(engine::describeConnection(connection))))
    , connection_(std::move(connection))
{
}

void Connect::apply()
{
    insertConnection(connection_, graph().connections().size());
}

void Connect::revert()
{
    removeConnection(connection_);
}

} // namespace netdraft::editor::commands
