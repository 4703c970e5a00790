#pragma once
// Applies positions computed by the auto-layout (editor/AutoLayout.h) as one undo step.

#include "editor/commands/DocumentCommand.h"

#include <map>

namespace netdraft::editor::commands {

/// Like MoveBlocks, but never merges: each layout is its own step.
class AutoLayout : public DocumentCommand {
public:
    AutoLayout(GraphDocument& document, const std::map<std::string, engine::Point>& positions);

protected:
    void apply() override;
    void revert() override;

private:
    std::map<std::string, engine::Point> before_;
    std::map<std::string, engine::Point> after_;
};

} // namespace netdraft::editor::commands
