#pragma once
// What `netdraft-cli --version` prints.

#include <string>

namespace netdraft::app {

/// "netdraft-cli 0.1.0", the LibTorch version and whether CUDA can be used, one per line.
std::string versionText();

} // namespace netdraft::app
