#pragma once
// Loading a TorchScript archive for import: the archive checks every .pt read gets, the file format
// version against this LibTorch's, torch::jit::load, then freezing (parameters kept, so the weights stay
// reachable through prim::GetAttr) and a cleaned forward graph. Also the names the graph reader needs:
// module classes without their mangling, and the module a node was called in.

#include <torch/script.h>

#include <memory>
#include <string>
#include <vector>

namespace netdraft::engine {

/// The frozen module and its forward graph: compiler assertions removed, constants propagated, dead code gone.
struct FrozenTorchScript {
    torch::jit::Module module;
    std::shared_ptr<torch::jit::Graph> forward;
};

/// Checks and loads archive `bytes`; throws Error naming `sourceName` (a malformed archive, one from a
/// newer PyTorch, a module that does not load or freeze). Runs none of the module's code but loading.
FrozenTorchScript loadFrozenTorchScript(const std::string& bytes, const std::string& sourceName);

/// "__torch__.torch.nn.modules.conv.___torch_mangle_12.Conv2d" → "Conv2d".
std::string torchClassName(const c10::ClassTypePtr& type);
/// The parts joined with `separator`.
std::string joinNames(const std::vector<std::string>& parts, const std::string& separator);
/// The module path a node was called in ("layer1.0.relu"): the scripted call stack's module instances
/// or the traced scope; empty when neither says.
std::string calledInModule(torch::jit::Node* node);

} // namespace netdraft::engine
