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

} // namespace netdraft::engine
