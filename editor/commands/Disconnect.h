#pragma once
// Removes one connection; undo puts it back at its place in the list.

#include "editor/commands/DocumentCommand.h"

namespace netdraft::editor::commands {

/// Remembers the connection's index so that undo restores an identical graph.
class Disconnect : public DocumentCommand {
public:
    Disconnect(GraphDocument& document, engine::Connection connection);

protected:
    void apply() override;
    void revert() override;

private:
    engine::Connection connection_;
    size_t index_ = 0;
};

} // namespace netdraft::editor::commands
