#include "engine/train/AvailableDevices.h"

#include <torch/torch.h>

#include <cstdio>
#include <thread>

// Set by engine/CMakeLists.txt when the LibTorch at hand was built with CUDA; Debian's CPU LibTorch
// ships the CUDA headers too, so __has_include cannot tell.
#if NETDRAFT_TORCH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#endif

namespace netdraft::engine {

namespace {

std::string gibibytes(int64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
    return text;
}

std::vector<AvailableDevice> cudaDevices()
{
    std::vector<AvailableDevice> devices;
    if (!torch::cuda::is_available())
        return devices;
    const int64_t count = static_cast<int64_t>(torch::cuda::device_count());
    for (int64_t index = 0; index < count; ++index) {
        AvailableDevice device;
        device.id = "cuda:" + std::to_string(index);
        device.name = "CUDA device";
#if NETDRAFT_TORCH_CUDA
        if (const cudaDeviceProp* properties = at::cuda::getDeviceProperties(static_cast<int>(index))) {
            device.name = properties->name;
            device.totalMemoryBytes = static_cast<int64_t>(properties->totalGlobalMem);
            device.computeCapabilityMajor = properties->major;
            device.computeCapabilityMinor = properties->minor;
        }
#endif
        device.description = device.id + ": " + device.name;
        if (device.totalMemoryBytes > 0)
            device.description += ", " + gibibytes(device.totalMemoryBytes);
        if (device.computeCapabilityMajor > 0)
            device.description += ", compute capability " + std::to_string(device.computeCapabilityMajor) + "."
                + std::to_string(device.computeCapabilityMinor)
                + (device.computeCapabilityMajor >= 8 ? " (bf16 and fp16)" : " (fp16)");
        devices.push_back(std::move(device));
    }
    return devices;
}

} // namespace

bool libTorchHasCuda()
{
#if NETDRAFT_TORCH_CUDA
    return true;
#else
    return false;
#endif
}

std::vector<AvailableDevice> availableDevices()
{
    AvailableDevice cpu;
    cpu.id = "cpu";
    cpu.name = cpuFastMode().processor;
    const unsigned threads = std::thread::hardware_concurrency();
    cpu.description = "cpu: " + cpu.name + ", " + std::to_string(threads)
        + (threads == 1 ? " hardware thread; " : " hardware threads; ") + cpuFastMode().description;
    std::vector<AvailableDevice> devices { cpu };
    for (AvailableDevice& device : cudaDevices())
        devices.push_back(std::move(device));
    return devices;
}

std::string cudaSummary()
{
    const std::vector<AvailableDevice> devices = cudaDevices();
    if (devices.empty())
        return libTorchHasCuda() ? "CPU only: no CUDA device found"
                                 : "CPU only: no CUDA device found (this LibTorch was built without CUDA)";
    std::string text = std::to_string(devices.size()) + (devices.size() == 1 ? " CUDA device: " : " CUDA devices: ");
    for (size_t i = 0; i < devices.size(); ++i)
        text += (i ? "; " : "") + devices[i].description;
    return text;
}

void releaseCachedDeviceMemory()
{
#if NETDRAFT_TORCH_CUDA
    if (torch::cuda::is_available())
        c10::cuda::CUDACachingAllocator::emptyCache();
#endif
}

} // namespace netdraft::engine
