#pragma once
// Replaces a composite instance by its inner blocks (Ctrl+Shift+G) as one undo step.

#include "editor/commands/ReplaceProjectGraph.h"

namespace netdraft::editor::commands {

/// engine::ungroupBlock as a command; the definition stays in the project. Inside an open composite,
/// its ports that pointed at the instance point at the inner blocks (engine::ungroupInsideComposite).
/// The constructor throws engine::Error when `instanceId` is not a composite instance.
class UngroupBlock : public ReplaceProjectGraph {
public:
    UngroupBlock(GraphDocument& document, const std::string& instanceId);
};

} // namespace netdraft::editor::commands
