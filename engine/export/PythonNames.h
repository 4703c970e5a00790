#pragma once
// Names the generated Python and TorchScript code uses for blocks: attributes are block ids, and
// each step's output lives in a variable named like its block unless that is a keyword or a name
// the generated code uses itself.

#include "engine/network/CompiledNetwork.h"

#include <string>
#include <vector>

namespace netdraft::engine {

/// The variable holding each step's output in generated forward code, indexed like network.steps().
std::vector<std::string> pythonVariables(const CompiledNetwork& network);
/// The expression generated code reads input port `port` of `step` from: the feeding step's variable,
/// subscripted ("split1[1]") when that step gives several outputs (its variable holds their list).
std::string pythonInput(const CompiledNetwork& network, const std::vector<std::string>& variables,
    const NetworkStep& step, size_t port);

/// Whether `name` is a Python keyword (cannot be written as self.<name> or a variable).
bool isPythonKeyword(const std::string& name);
/// How generated code reads attribute `name` of self: "self.conv1", or getattr(self, "if") for keywords.
std::string selfAttribute(const std::string& name);

} // namespace netdraft::engine
