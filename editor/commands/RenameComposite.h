#pragma once
// Renames a composite definition; every instance follows, nested ones too (one undo step).

#include "editor/commands/ReplaceProjectGraph.h"

namespace netdraft::editor::commands {

/// engine::renameComposite as a command. The constructor throws engine::Error when the rename is
/// refused (new name invalid, a layer type or taken). Renaming the open composite keeps it open under
/// its new name (undo reopens the old one).
class RenameComposite : public ReplaceProjectGraph {
public:
    RenameComposite(GraphDocument& document, const std::string& from, const std::string& to);
};

/// The scope a command changing definition `name` runs in: the open one, unless it is `name` itself.
QString scopeOutside(const GraphDocument& document, const std::string& name);

} // namespace netdraft::editor::commands
