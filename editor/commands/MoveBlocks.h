#pragma once
// Moves blocks; consecutive moves of the same blocks merge into one undo step.

#include "editor/commands/DocumentCommand.h"

#include <map>

namespace netdraft::editor::commands {

/// Each block goes from its current position to the given one.
class MoveBlocks : public DocumentCommand {
public:
    MoveBlocks(GraphDocument& document, const std::map<std::string, engine::Point>& targets);

    int id() const override { return kMoveBlocksId; }
    bool mergeWith(const QUndoCommand* other) override;

protected:
    void apply() override;
    void revert() override;

private:
    struct Move {
        engine::Point from;
        engine::Point to;
    };
    std::map<std::string, Move> moves_;
};

} // namespace netdraft::editor::commands
