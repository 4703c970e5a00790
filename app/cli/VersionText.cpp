#include "app/cli/VersionText.h"

#include "NetdraftVersion.h"

#include <torch/cuda.h>
#include <torch/version.h>

namespace netdraft::app {

std::string versionText()
{
    std::string cuda = "not available";
    if (torch::cuda::is_available()) {
        const auto devices = torch::cuda::device_count();
        cuda = "available (" + std::to_string(devices) + (devices == 1 ? " device)" : " devices)");
    }
    return std::string("netdraft-cli ") + NETDRAFT_VERSION + "\nLibTorch " + TORCH_VERSION + "\nCUDA " + cuda;
}

} // namespace netdraft::app
