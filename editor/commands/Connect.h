#pragma once
// Connects an output port to a free input port.

#include "editor/commands/DocumentCommand.h"

namespace netdraft::editor::commands {

/// Appends the connection; undo removes it.
class Connect : public DocumentCommand {
public:
    Connect(GraphDocument& document, engine::Connection connection);

protected:
    void apply() override;
    void revert() override;

private:
    engine::Connection connection_;
};

} // namespace netdraft::editor::commands
