#pragma once
// Dataset kinds (generated or read from disk) register their loader under their DatasetSpec::kind
// name, so adding a format touches only its own file: the registry also makes the name one of
// DatasetSpec's `kind` choices. A kind read from disk also registers how it recognises its files,
// which is how `--data` and the dataset panel pick a kind from a path (DatasetDetection.h).

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

/// The files a kind on disk reads: what to call them in messages, and whether a path holds them.
/// Recognisers go by names (files and folders that exist), never by contents. Generated kinds have none.
struct DatasetFiles {
    std::string expected; ///< e.g. "CIFAR-10 binary batches (data_batch_1.bin …)"
    std::function<bool(const std::string& path)> recognises;
};

/// The loaders of all dataset kinds, by name.
class DatasetRegistry {
public:
    static DatasetRegistry& instance();

    /// Adds (or replaces) the loader of `kind` and makes `kind` a DatasetSpec choice, ordered by
    /// `listPosition` (generated kinds first, then formats on disk).
    /// `files` is left empty by generated kinds.
    void add(const std::string& kind, int listPosition, DatasetLoader loader, DatasetFiles files = {});
    /// Loads request.spec.kind; throws Error naming the known kinds when it is unknown.
    LoadedDataset load(const DatasetRequest& request) const;
    std::vector<std::string> kinds() const;
    /// The files `kind` reads; nullptr for generated (and unknown) kinds.
    const DatasetFiles* files(const std::string& kind) const;

private:
    std::map<std::string, DatasetLoader> loaders_;
    std::map<std::string, DatasetFiles> files_;
};

} // namespace netdraft::engine

#define NETDRAFT_DATASET_CONCAT_INNER(a, b) a##b
#define NETDRAFT_DATASET_CONCAT(a, b) NETDRAFT_DATASET_CONCAT_INNER(a, b)
/// Registers `loader` for dataset kind `kind` at load time, listed at `listPosition` in choice lists
/// (generated kinds below 100, formats on disk from 100); use once per kind in its own .cpp. A kind
/// read from disk passes its DatasetFiles after the loader:
/// NETDRAFT_REGISTER_DATASET("csv", 160, loadCsv, DatasetFiles { "a .csv file", isCsvFile });
#define NETDRAFT_REGISTER_DATASET(kind, listPosition, ...)                                                             \
    static const bool NETDRAFT_DATASET_CONCAT(netdraftDatasetRegistered_, __LINE__)                                    \
        = (::netdraft::engine::DatasetRegistry::instance().add(kind, listPosition, __VA_ARGS__), true)
