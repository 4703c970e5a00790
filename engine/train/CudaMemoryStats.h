#pragma once
// What LibTorch's CUDA caching allocator has handed out on one device: the measured side of the training
// memory estimate (engine/insight/NetworkCost, bench/memory_bench.cpp). LibTorch-free, like
// AvailableDevices.h.

#include <cstdint>
#include <optional>

namespace netdraft::engine {

/// Bytes of live tensors on CUDA device `index` now, and their peak since the last reset. Both are
/// LibTorch's `memory_allocated` / `max_memory_allocated` (what tensors hold, not what the allocator
/// reserves). std::nullopt without a CUDA LibTorch or without that device.
struct CudaAllocatedBytes {
    int64_t current = 0;
    int64_t peak = 0;
};
std::optional<CudaAllocatedBytes> cudaAllocatedBytes(int index);

/// Starts a new peak on CUDA device `index` from what lives now; no-op without CUDA.
void resetCudaPeakAllocated(int index);

} // namespace netdraft::engine
