#pragma once
// Turns the device setting ("cpu", "cuda", "cuda:K") into a torch::Device, checking it exists.

#include <torch/torch.h>

#include <string>

namespace netdraft::engine {

/// The device named by `name`; throws Error when the name is malformed or CUDA (or the K-th GPU) is
/// not available.
torch::Device selectDevice(const std::string& name);

/// Sets LibTorch's intra-op thread count to `threads`, or to all cores when 0. Debian's LibTorch
/// starts with one thread.
void configureThreads(int64_t threads);

} // namespace netdraft::engine
