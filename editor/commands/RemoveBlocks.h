#pragma once
// Removes blocks and every connection touching them; undo puts all of it back exactly.

#include "editor/commands/DocumentCommand.h"

#include <utility>
#include <vector>

namespace netdraft::editor::commands {

/// Snapshots the removed blocks and connections with their positions in the graph's lists.
class RemoveBlocks : public DocumentCommand {
public:
    RemoveBlocks(GraphDocument& document, const std::vector<std::string>& ids);

protected:
    void apply() override;
    void revert() override;

private:
    std::vector<std::pair<size_t, engine::Block>> blocks_; ///< ascending index
    std::vector<std::pair<size_t, engine::Connection>> connections_; ///< ascending index
};

} // namespace netdraft::editor::commands
