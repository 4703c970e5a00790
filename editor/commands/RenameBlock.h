#pragma once
// Changes a block's display name (its id, which names parameters in checkpoints, stays).

#include "editor/commands/DocumentCommand.h"

namespace netdraft::editor::commands {

/// Consecutive renames of the same block merge.
class RenameBlock : public DocumentCommand {
public:
    RenameBlock(GraphDocument& document, std::string blockId, std::string name);

    int id() const override { return kRenameBlockId; }
    bool mergeWith(const QUndoCommand* other) override;

protected:
    void apply() override;
    void revert() override;

private:
    std::string blockId_;
    std::string oldName_;
    std::string newName_;
};

} // namespace netdraft::editor::commands
