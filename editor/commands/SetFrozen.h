#pragma once
// Freezes or unfreezes blocks (engine::Block::frozen): training leaves a frozen block's weights alone.
// One command for a whole selection; a frozen composite instance freezes every block inside it.

#include "editor/commands/DocumentCommand.h"

#include <string>
#include <utility>
#include <vector>

namespace netdraft::editor::commands {

class SetFrozen : public DocumentCommand {
public:
    /// Sets every block of `blockIds` (in the graph being edited) to `frozen`; throws engine::Error
    /// for an unknown id.
    SetFrozen(GraphDocument& document, std::vector<std::string> blockIds, bool frozen);

protected:
    void apply() override;
    void revert() override;

private:
    std::vector<std::pair<std::string, bool>> before_; ///< each block's flag before the command
    bool frozen_;
};

} // namespace netdraft::editor::commands
