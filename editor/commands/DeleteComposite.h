#pragma once
// Deletes a composite definition from the project (one undo step).

#include "editor/commands/ReplaceProjectGraph.h"

namespace netdraft::editor::commands {

/// Removes definition `name`. While instances exist the constructor throws engine::Error naming them,
/// unless `ungroupInstances`: then the top-level instances are ungrouped first (uses inside other
/// definitions still refuse). Deleting the open composite closes it.
class DeleteComposite : public ReplaceProjectGraph {
public:
    DeleteComposite(GraphDocument& document, const std::string& name, bool ungroupInstances = false);
};

} // namespace netdraft::editor::commands
