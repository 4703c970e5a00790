#include "engine/train/CudaMemoryStats.h"

#include <torch/torch.h>

// NETDRAFT_TORCH_CUDA: set by engine/CMakeLists.txt for a CUDA LibTorch (see AvailableDevices.cpp).
#if NETDRAFT_TORCH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace netdraft::engine {

namespace {

/// Whether device `index` exists; its caching allocator is then set up (LibTorch 2.x refuses statistics
/// of a device nothing was allocated on yet: "Invalid device argument").
bool haveCudaDevice(int index)
{
    if (!torch::cuda::is_available() || index < 0 || index >= static_cast<int>(torch::cuda::device_count()))
        return false;
    torch::empty({ 1 }, torch::TensorOptions().device(torch::kCUDA, static_cast<c10::DeviceIndex>(index)));
    return true;
}

} // namespace

std::optional<CudaAllocatedBytes> cudaAllocatedBytes(int index)
{
#if NETDRAFT_TORCH_CUDA
    if (!haveCudaDevice(index))
        return std::nullopt;
    // Index 0 of each statistic is the aggregate over small and large pools, in 1.13 and 2.x alike.
    const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(static_cast<c10::DeviceIndex>(index));
    return CudaAllocatedBytes { stats.allocated_bytes[0].current, stats.allocated_bytes[0].peak };
#else
    (void)index;
    return std::nullopt;
#endif
}

void resetCudaPeakAllocated(int index)
{
#if NETDRAFT_TORCH_CUDA
    if (haveCudaDevice(index))
        c10::cuda::CUDACachingAllocator::resetPeakStats(static_cast<c10::DeviceIndex>(index));
#else
    (void)index;
#endif
}

} // namespace netdraft::engine
