#include "engine/data/DatasetDetection.h"

#include "engine/core/Error.h"
#include "engine/data/DatasetRegistry.h"

#include <algorithm>
#include <filesystem>

namespace netdraft::engine {

std::vector<std::string> datasetKindsRecognising(const std::string& path)
{
    const DatasetRegistry& registry = DatasetRegistry::instance();
    std::vector<std::string> kinds;
    for (const std::string& kind : DatasetSpec::kinds())
        if (const DatasetFiles* files = registry.files(kind); files && files->recognises(path))
            kinds.push_back(kind);
    return kinds;
}

std::string detectDatasetKind(const std::string& path, const std::string& preferred)
{
    const std::vector<std::string> kinds = datasetKindsRecognising(path);
    if (std::find(kinds.begin(), kinds.end(), preferred) != kinds.end())
        return preferred;
    if (!kinds.empty())
        return kinds.front();
    std::error_code error;
    ND_CHECK(std::filesystem::exists(path, error), path, ": no such file or folder; expected ", expectedDatasetFiles());
    ND_CHECK(false, path, ": no dataset kind recognises it; expected ", expectedDatasetFiles());
    return {};
}

bool datasetKindReadsFiles(const std::string& kind)
{
    return DatasetRegistry::instance().files(kind) != nullptr;
}

std::string expectedDatasetFiles()
{
    // Kinds that read the same files (MNIST, Fashion-MNIST) describe them once.
    std::vector<std::string> descriptions;
    for (const std::string& kind : DatasetSpec::kinds())
        if (const DatasetFiles* files = DatasetRegistry::instance().files(kind))
            if (std::find(descriptions.begin(), descriptions.end(), files->expected) == descriptions.end())
                descriptions.push_back(files->expected);
    std::string text;
    for (size_t k = 0; k < descriptions.size(); ++k)
        text += (k == 0 ? "" : k + 1 == descriptions.size() ? (k == 1 ? " or " : ", or ") : ", ") + descriptions[k];
    return text;
}

} // namespace netdraft::engine
