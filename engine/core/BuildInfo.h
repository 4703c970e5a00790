#pragma once
// What this build links. Free of LibTorch so that the GUI's About dialog can ask without including it.
// The devices training can use are listed by engine/train/AvailableDevices.h.

#include <string>

namespace netdraft::engine {

/// LibTorch's version, e.g. "1.13.1".
std::string libTorchVersion();
/// The CUDA runtime LibTorch was built with, e.g. "11.8"; empty when it has no CUDA support or no GPU.
std::string cudaVersion();

} // namespace netdraft::engine
