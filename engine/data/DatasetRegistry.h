#pragma once
// Dataset kinds (generated or read from disk) register their loader under their DatasetSpec::kind
// name, so adding a format touches only its own file: the registry also makes the name one of
// DatasetSpec's `kind` choices.

#include "engine/data/Dataset.h"
#include "engine/data/PreparedData.h"
#include "engine/project/DatasetSpec.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// What a loader is asked for.
struct DatasetRequest {
    DatasetSpec spec;
    std::string path; ///< spec.path resolved against the project folder; empty when none is given
    ExpectedData expected; ///< image size to resize to, class count, task (classification or regression)
};

/// A loaded dataset; `test` is set when the format ships its own test files (MNIST t10k, CIFAR test batch).
struct LoadedDataset {
    InMemoryDataset train;
    std::optional<InMemoryDataset> test;
};

using DatasetLoader = std::function<LoadedDataset(const DatasetRequest&)>;

/// The loaders of all dataset kinds, by name.
class DatasetRegistry {
public:
    static DatasetRegistry& instance();

    /// Adds (or replaces) the loader of `kind` and makes `kind` a DatasetSpec choice, ordered by
    /// `listPosition` (generated kinds first, then formats on disk).
    void add(const std::string& kind, int listPosition, DatasetLoader loader);
    /// Loads request.spec.kind; throws Error naming the known kinds when it is unknown.
    LoadedDataset load(const DatasetRequest& request) const;
    std::vector<std::string> kinds() const;

private:
    std::map<std::string, DatasetLoader> loaders_;
};

} // namespace netdraft::engine

#define NETDRAFT_DATASET_CONCAT_INNER(a, b) a##b
#define NETDRAFT_DATASET_CONCAT(a, b) NETDRAFT_DATASET_CONCAT_INNER(a, b)
/// Registers `loader` for dataset kind `kind` at load time, listed at `listPosition` in choice lists
/// (generated kinds below 100, formats on disk from 100); use once per kind in its own .cpp.
#define NETDRAFT_REGISTER_DATASET(kind, listPosition, loader)                                                          \
    static const bool NETDRAFT_DATASET_CONCAT(netdraftDatasetRegistered_, __LINE__)                                    \
        = (::netdraft::engine::DatasetRegistry::instance().add(kind, listPosition, loader), true)
