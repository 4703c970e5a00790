#pragma once
// Renames an input or output port of a composite definition; connections to its instances follow.

#include "editor/commands/ReplaceProjectGraph.h"

namespace netdraft::editor::commands {

/// engine::renameCompositePort as a command (one undo step). The constructor throws engine::Error when
/// the port is missing or the new name is invalid or taken. The open composite stays open.
class RenameCompositePort : public ReplaceProjectGraph {
public:
    RenameCompositePort(GraphDocument& document, const std::string& composite, bool input, const std::string& from,
        const std::string& to);
};

} // namespace netdraft::editor::commands
