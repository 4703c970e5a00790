#pragma once
// Turns the device setting ("cpu", "cuda", "cuda:K", or a comma-separated list of them for
// data-parallel training) into torch::Devices, checking they exist.

#include <torch/torch.h>

#include <string>
#include <vector>

namespace netdraft::engine {

/// The device named by `name`; throws Error when the name is malformed or CUDA (or the K-th GPU) is
/// not available.
torch::Device selectDevice(const std::string& name);

/// The devices of a comma-separated list ("cuda:0,cuda:1"); one name gives one device. The same CUDA
/// device may not appear twice; "cpu" may (several CPU replicas, to test data-parallel training).
/// Throws Error naming the entry at fault.
std::vector<torch::Device> selectDevices(const std::string& list);

/// Sets LibTorch's intra-op thread count to `threads`, or to all cores when 0. Debian's LibTorch
/// starts with one thread.
void configureThreads(int64_t threads);

} // namespace netdraft::engine
