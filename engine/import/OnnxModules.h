#pragma once
// Module paths and module kinds for ONNX import: torch.onnx.export names nodes after the module scopes
// they ran in, which give the paths ImportedGraph groups by; ONNX keeps no module classes, so the kinds
// (container or not, a name for composite definitions) are guessed from the paths.

#include "engine/import/ImportedGraph.h"

#include <map>
#include <string>
#include <vector>

namespace netdraft::engine {

/// "/layer1/layer1.0/conv1/Conv" → "layer1.0.conv1"; Netdraft's own "layer1_0__conv1/Conv_3" →
/// "layer1_0.conv1"; "" when the name says nothing.
std::string onnxModulePath(const std::string& nodeName);

/// Module path → kind for ImportedNetwork::moduleTypes: a module whose children are all numbered and
/// that runs no op of its own is a "Sequential" (a container); the others are named after their path
/// without indices ("layer1.0" → "layer1_block").
std::map<std::string, std::string> onnxModuleTypes(const std::vector<ImportedOp>& ops);

} // namespace netdraft::engine
