#include "app/cli/VersionText.h"

#include "NetdraftVersion.h"
#include "engine/core/BuildInfo.h"
#include "engine/train/AvailableDevices.h"

namespace netdraft::app {

std::string versionText(const std::string& program, const std::vector<std::pair<std::string, std::string>>& components)
{
    std::string text = std::string("Netdraft ") + NETDRAFT_VERSION + " (" + program + ")\n";
    for (const auto& [name, version] : components)
        text += name + " " + version + "\n";
    text += "LibTorch " + engine::libTorchVersion() + "\n";
    const std::string cuda = engine::cudaVersion();
    if (cuda.empty()) {
        text += "CUDA none";
    } else {
        const std::size_t devices = engine::availableDevices().size() - 1; // the first one is the CPU
        text += "CUDA " + cuda + " (" + std::to_string(devices) + (devices == 1 ? " device)" : " devices)");
    }
    return text;
}

} // namespace netdraft::app
