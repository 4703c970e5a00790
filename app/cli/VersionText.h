#pragma once
// What `netdraft --version` and `netdraft-cli --version` print. Free of LibTorch and Qt headers, so
// that both programs share it.

#include <string>
#include <utility>
#include <vector>

namespace netdraft::app {

/// "Netdraft 0.1.0 (program)", then one "Component version" line per entry of `components` (the GUI
/// passes Qt), LibTorch's version and the CUDA runtime with its device count, or "CUDA none".
std::string versionText(
    const std::string& program, const std::vector<std::pair<std::string, std::string>>& components = {});

} // namespace netdraft::app
