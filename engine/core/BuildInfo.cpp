#include "engine/core/BuildInfo.h"

#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/torch.h>
#include <torch/version.h>

namespace netdraft::engine {

std::string libTorchVersion()
{
    return TORCH_VERSION;
}

std::string cudaVersion()
{
    if (!torch::cuda::is_available())
        return {};
    // versionCUDART() encodes major*1000 + minor*10 (11080 → 11.8).
    const long version = at::detail::getCUDAHooks().versionCUDART();
    if (version <= 0)
        return {};
    return std::to_string(version / 1000) + "." + std::to_string((version % 1000) / 10);
}

std::vector<ComputeDevice> computeDevices()
{
    std::vector<ComputeDevice> devices { { "cpu", "CPU" } };
    if (!torch::cuda::is_available())
        return devices;
    const auto count = static_cast<int>(torch::cuda::device_count());
    for (int index = 0; index < count; ++index)
        devices.push_back({ "cuda:" + std::to_string(index), "CUDA GPU " + std::to_string(index) });
    return devices;
}

} // namespace netdraft::engine
