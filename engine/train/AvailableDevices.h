#pragma once
// The devices a run can train on, for the GUI's device list and `netdraft-cli devices`. LibTorch-free,
// so the Qt app can include it.

#include "engine/train/CpuFastMode.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One device a run can name in the `device` setting.
struct AvailableDevice {
    std::string id; ///< "cpu", "cuda:0", ...: what the device setting takes
    std::string name; ///< "NVIDIA H100 80GB HBM3", or the processor's model name
    int64_t totalMemoryBytes = 0; ///< 0 for the CPU (its memory is the machine's)
    int computeCapabilityMajor = 0; ///< CUDA only
    int computeCapabilityMinor = 0;
    std::string description; ///< one line for people: id, name, memory, bf16 support
};

/// The CPU first, then every CUDA device LibTorch sees (none with a CPU-only LibTorch).
std::vector<AvailableDevice> availableDevices();

/// One line: "2 CUDA devices: cuda:0 NVIDIA ... (80.0 GiB), cuda:1 ..." or "CPU only: no CUDA device
/// found" (adding why when this LibTorch was built without CUDA).
std::string cudaSummary();

/// Whether this LibTorch was built with CUDA support.
bool libTorchHasCuda();

/// Releases the memory LibTorch's CUDA allocator caches (after an out-of-memory error); no-op without CUDA.
void releaseCachedDeviceMemory();

} // namespace netdraft::engine
