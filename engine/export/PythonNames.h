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

/// Whether `name` is a Python keyword (cannot be written as self.<name> or a variable).
bool isPythonKeyword(const std::string& name);
/// How generated code reads attribute `name` of self: "self.conv1", or getattr(self, "if") for keywords.
std::string selfAttribute(const std::string& name);

} // namespace netdraft::engine
