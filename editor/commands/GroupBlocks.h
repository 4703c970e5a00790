#pragma once
// Groups blocks into a new composite block (Ctrl+G) as one undo step.

#include "editor/commands/ReplaceProjectGraph.h"

namespace netdraft::editor::commands {

/// Moves blocks `ids` of the edited graph into a new composite definition `name`, placing instance
/// `instanceId` where they were (engine::groupBlocks). Inside an open composite, its ports that pointed
/// at the grouped blocks point at the instance's ports (engine::groupInsideComposite). The constructor
/// throws engine::Error when grouping is refused.
class GroupBlocks : public ReplaceProjectGraph {
public:
    GroupBlocks(GraphDocument& document, const std::vector<std::string>& ids, const std::string& name,
        const std::string& instanceId);
};

} // namespace netdraft::editor::commands
