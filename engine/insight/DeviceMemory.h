#pragma once
// How much memory the device a project trains on has, for "fits / does not fit" (docs/INSIGHT.md).

#include <cstdint>
#include <string>

namespace netdraft::engine {

/// The memory of one training device.
struct DeviceMemory {
    std::string device; ///< "cpu", "cuda:0"
    std::string name; ///< the processor's or the GPU's model name
    int64_t capacityBytes = 0; ///< the machine's physical memory for the CPU, the device's memory for CUDA
};

/// The memory of `device` as the `device` training setting names it ("cpu", "cuda", "cuda:K"; of a
/// data-parallel list "cuda:0,cuda:1", the first, since each replica holds a whole model). Throws Error
/// for a CUDA device LibTorch does not see.
DeviceMemory deviceMemory(const std::string& device);

/// This machine's physical memory in bytes.
int64_t physicalMemoryBytes();

} // namespace netdraft::engine
