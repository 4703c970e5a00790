#pragma once
// Replaces a composite instance by its inner blocks (Ctrl+Shift+G) as one undo step.

#include "editor/commands/ReplaceGraph.h"

namespace netdraft::editor::commands {

/// engine::ungroupBlock as a command; the definition stays in the project. The constructor throws
/// engine::Error when `instanceId` is not a composite instance.
class UngroupBlock : public ReplaceGraph {
public:
    UngroupBlock(GraphDocument& document, const std::string& instanceId);
};

} // namespace netdraft::editor::commands
