#pragma once
// References from the engine's registered optimizers, schedules and losses, for test_export.py to
// compare with the branches of the exported train.py.

#include <filesystem>

namespace netdraft::tests {

/// Writes FOLDER/registries.json (the registered names and the settings used) and
/// FOLDER/registries.pt (for each name, what the engine computes with those settings).
void writeRegistryReferences(const std::filesystem::path& folder);

} // namespace netdraft::tests
