#pragma once
// Contract between the datasets and the trainer (to be implemented in engine/data):
// shuffled, augmented, normalised float batches from an in-memory dataset.

#include "engine/data/Dataset.h"

#include <cstdint>
#include <optional>

namespace netdraft::engine {

/// One batch, ready for the model: float inputs (or int64 token ids) and targets.
struct Batch {
    torch::Tensor inputs;
    torch::Tensor targets;
    int64_t size() const { return inputs.size(0); }
};

/// Per-channel normalisation applied when a batch is made: (x * scale - mean) / std.
struct Normalization {
    std::vector<double> mean;
    std::vector<double> std;
    bool enabled() const { return !mean.empty(); }
};

struct LoaderOptions {
    int64_t batchSize = 64;
    bool shuffle = true;
    uint64_t seed = 0;          ///< shuffling and augmentation of epoch e use seed and e only
    bool dropLast = false;
    int64_t cropPadding = 0;    ///< augmentation, training only
    bool horizontalFlip = false;
    Normalization normalization;
    torch::Device device = torch::kCPU;
    bool prefetch = true;       ///< prepare the next batch on a helper thread while the current one trains
    /// Data-parallel training: batches keep their size and order on every rank, and this rank gets part
    /// `shardIndex` of `shardCount` near-equal contiguous parts of each (possibly none of a tiny last batch).
    int64_t shardIndex = 0;
    int64_t shardCount = 1;
};

/// Iterates over a dataset in batches; deterministic for a given seed and epoch.
class DataLoader {
public:
    DataLoader(const InMemoryDataset& data, LoaderOptions options);
    ~DataLoader();
    DataLoader(const DataLoader&) = delete;
    DataLoader& operator=(const DataLoader&) = delete;

    int64_t batchesPerEpoch() const;
    /// Starts epoch `epoch` (0-based): a fresh permutation drawn from (seed, epoch).
    void startEpoch(int64_t epoch);
    /// The next batch of the epoch, or std::nullopt at its end.
    std::optional<Batch> next();

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace netdraft::engine
