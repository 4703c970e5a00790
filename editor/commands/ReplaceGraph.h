#pragma once
// Replaces the edited graph as a whole: the base of grouping, ungrouping and importing a composite.

#include "editor/commands/DocumentCommand.h"

namespace netdraft::editor::commands {

/// Swaps graph() for `after`; undo puts the exact previous graph back.
class ReplaceGraph : public DocumentCommand {
public:
    ReplaceGraph(GraphDocument& document, engine::Graph after, const QString& text);

protected:
    void apply() override;
    void revert() override;

private:
    engine::Graph before_;
    engine::Graph after_;
};

} // namespace netdraft::editor::commands
