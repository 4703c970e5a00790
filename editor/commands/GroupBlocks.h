#pragma once
// Groups blocks into a new composite block (Ctrl+G) as one undo step.

#include "editor/commands/ReplaceGraph.h"

namespace netdraft::editor::commands {

/// Moves blocks `ids` into a new composite definition `name`, placing instance `instanceId` where
/// they were (engine::groupBlocks). The constructor throws engine::Error when grouping is refused.
class GroupBlocks : public ReplaceGraph {
public:
    GroupBlocks(GraphDocument& document, const std::vector<std::string>& ids, const std::string& name,
                const std::string& instanceId);
};

} // namespace netdraft::editor::commands
