#include "engine/data/DatasetRegistry.h"

#include "engine/core/Error.h"

namespace netdraft::engine {

DatasetRegistry& DatasetRegistry::instance()
{
    static DatasetRegistry registry;
    return registry;
}

void DatasetRegistry::add(const std::string& kind, int listPosition, DatasetLoader loader, DatasetFiles files)
{
    loaders_[kind] = std::move(loader);
    if (files.recognises)
        files_[kind] = std::move(files);
    else
        files_.erase(kind);
    DatasetSpec::addKind(kind, listPosition);
}

LoadedDataset DatasetRegistry::load(const DatasetRequest& request) const
{
    auto found = loaders_.find(request.spec.kind);
    if (found == loaders_.end()) {
        std::string known;
        for (const auto& kind : kinds())
            known += (known.empty() ? "" : ", ") + kind;
        ND_CHECK(false, "dataset kind '", request.spec.kind, "' is unknown; known kinds: ", known);
    }
    return found->second(request);
}

std::vector<std::string> DatasetRegistry::kinds() const
{
    std::vector<std::string> names;
    for (const auto& entry : loaders_)
        names.push_back(entry.first);
    return names;
}

const DatasetFiles* DatasetRegistry::files(const std::string& kind) const
{
    auto found = files_.find(kind);
    return found == files_.end() ? nullptr : &found->second;
}

} // namespace netdraft::engine
