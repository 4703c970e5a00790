#pragma once
// Removes blocks and every connection touching them; undo puts all of it back exactly. Inside a
// composite, removing an inner block behind one of its ports repairs the definition's ports too.

#include "editor/commands/DocumentCommand.h"

#include <optional>
#include <utility>
#include <vector>

namespace netdraft::editor::commands {

/// Snapshots the removed blocks and connections with their positions in the graph's lists.
class RemoveBlocks : public DocumentCommand {
public:
    RemoveBlocks(GraphDocument& document, const std::vector<std::string>& ids);

    /// What happened to the open composite's ports ("ConvLayer lost its input port 'in' ..."), or empty.
    const std::string& portReport() const { return portReport_; }

protected:
    void apply() override;
    void revert() override;

private:
    std::vector<std::pair<size_t, engine::Block>> blocks_; ///< ascending index
    std::vector<std::pair<size_t, engine::Connection>> connections_; ///< ascending index
    /// Set when ports point at removed inner blocks: the project's graph after engine::removeInnerBlocks,
    /// and before it (the ports and instances' connections change beyond the open graph).
    std::optional<std::pair<engine::Graph, engine::Graph>> projectChange_;
    std::string portReport_;
};

} // namespace netdraft::editor::commands
