#pragma once
// What this build links and which compute devices it sees. Free of LibTorch so that the GUI's
// About dialog and device list can ask without including it.

#include <string>
#include <vector>

namespace netdraft::engine {

/// A device that training can run on: the settings value ("cpu", "cuda:0") and a label for menus.
struct ComputeDevice {
    std::string name;
    std::string label;
};

/// LibTorch's version, e.g. "1.13.1".
std::string libTorchVersion();
/// The CUDA runtime LibTorch was built with, e.g. "11.8"; empty when it has no CUDA support or no GPU.
std::string cudaVersion();
/// The CPU first, then every CUDA device LibTorch can use.
std::vector<ComputeDevice> computeDevices();

} // namespace netdraft::engine
