#pragma once
// Adds blocks (and connections among them or to existing blocks) as one undo step.

#include "editor/commands/DocumentCommand.h"

#include <vector>

namespace netdraft::editor::commands {

/// Appends the blocks, then the connections; undo removes them again.
class AddBlocks : public DocumentCommand {
public:
    AddBlocks(GraphDocument& document, std::vector<engine::Block> blocks,
        std::vector<engine::Connection> connections = {}, const QString& text = {});

protected:
    void apply() override;
    void revert() override;

private:
    std::vector<engine::Block> blocks_;
    std::vector<engine::Connection> connections_;
};

} // namespace netdraft::editor::commands
