#pragma once
// Weights as a PyTorch state dict: a dict of name → tensor in the zip format torch.load reads,
// written with torch::pickle_save and read back without executing any code.

#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

namespace netdraft::engine {

/// Tensors by name, in a stable order (the module's parameters, then its buffers).
using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

/// The parameters and buffers of `module` as detached CPU copies, named like its state dict.
NamedTensors namedState(const torch::nn::Module& module);

/// pickle_save bytes of a dict name → tensor (tensors are detached and moved to the CPU).
std::string tensorDictArchive(const NamedTensors& tensors);
/// Writes tensorDictArchive(namedState(module)) to `path` atomically.
void exportStateDict(const torch::nn::Module& module, const std::string& path);

/// Reads a dict of name → tensor from archive bytes (torch.save or pickle_save). The container is
/// checked first; malformed input throws Error naming `sourceName`, never crashes.
NamedTensors readTensorDict(const std::string& bytes, const std::string& sourceName);
NamedTensors readTensorDictFile(const std::string& path);

} // namespace netdraft::engine
