#pragma once
// Exposes a parameter of a block inside a composite as the composite's own parameter, set per instance.

#include "editor/commands/ReplaceProjectGraph.h"

namespace netdraft::editor::commands {

/// engine::exposeCompositeParameter as a command (one undo step): parameter `param` of inner block
/// `blockId` of composite `composite` becomes its parameter `name` (or one more target of it). The
/// constructor throws engine::Error as exposeCompositeParameter does. The open composite stays open.
class ExposeCompositeParameter : public ReplaceProjectGraph {
public:
    ExposeCompositeParameter(GraphDocument& document, const std::string& composite, const std::string& blockId,
        const std::string& param, const std::string& name);
};

/// engine::removeCompositeParameter as a command: the inner blocks keep the default, instances lose their value.
class RemoveCompositeParameter : public ReplaceProjectGraph {
public:
    RemoveCompositeParameter(GraphDocument& document, const std::string& composite, const std::string& name);
};

} // namespace netdraft::editor::commands
