#pragma once
// The exported model.py: a readable PyTorch nn.Module with one attribute per block (named by block
// id), a forward in execution order and helpers to load the exported weights.

#include "engine/export/ExportMetadata.h"
#include "engine/network/CompiledNetwork.h"

#include <string>

namespace netdraft::engine {

/// The source of model.py. `weightsFile` is the default path load_model() reads (the state dict
/// exported next to it). Throws Error naming every block whose layer type has no Python export.
std::string pythonModelSource(const CompiledNetwork& network, const ExportMetadata& metadata,
                              const std::string& weightsFile = "weights.pt");
/// The same, compiling `graph` first.
std::string pythonModelSource(const Graph& graph, const ExportMetadata& metadata,
                              const std::string& weightsFile = "weights.pt");

/// A Python literal for `text` (double-quoted, escaped).
std::string pythonStringLiteral(const std::string& text);

} // namespace netdraft::engine
