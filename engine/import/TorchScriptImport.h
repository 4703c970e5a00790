#pragma once
// Reads a TorchScript archive (torch.jit.script or torch.jit.trace, then .save) into an
// ImportedNetwork: the module is loaded (TorchScript is code: loading it runs LibTorch's deserializer,
// nothing of the module's forward is run), frozen with its parameters kept, and its flat forward graph
// is mapped op by op to layer types, hyper-parameters read from the graph's constants and weights
// from the prim::GetAttr chains whose names give the module paths.

#include "engine/import/ImportedGraph.h"

#include <string>
#include <vector>

namespace netdraft::engine {

/// Reads archive `bytes` (checked as a .pt zip first). `inputShape` is one sample's shape; empty:
/// taken from the first layer when it makes it obvious (a Linear), else Error asks for it. Throws Error
/// naming `sourceName` for a malformed file, one from a newer PyTorch, a forward that is not one tensor
/// in and one out, and ops without a block (each op with its modules and count). With
/// `keepUnsupported`, an op without a block whose tensors come from blocks of known shapes and whose
/// output's shape running it alone gives becomes an Opaque block (TorchScriptOpaque.h) instead.
ImportedNetwork readTorchScriptNetwork(const std::string& bytes, const std::string& sourceName,
    const std::vector<int64_t>& inputShape, std::vector<std::string>& notes, bool keepUnsupported = false);

} // namespace netdraft::engine
