#pragma once
// Replaces the project's graph as a whole: edits that reach several composite definitions and their
// instances (renaming or deleting a definition, renaming a port, adding pasted definitions).

#include "editor/commands/DocumentCommand.h"

namespace netdraft::editor::commands {

/// Swaps the project's graph for `after`; undo puts the exact previous graph back. It runs in `scope`
/// (empty: the project's graph), so a command that removes the open composite closes it. With
/// `scopeAfter` (a renamed `scope`), redo ends in `scopeAfter` and undo back in `scope`.
class ReplaceProjectGraph : public DocumentCommand {
public:
    ReplaceProjectGraph(GraphDocument& document, engine::Graph after, const QString& text, const QString& scope);
    ReplaceProjectGraph(GraphDocument& document, engine::Graph after, const QString& text, const QString& scope,
        const QString& scopeAfter);

protected:
    void apply() override;
    void revert() override;

private:
    engine::Graph before_;
    engine::Graph after_;
};

} // namespace netdraft::editor::commands
