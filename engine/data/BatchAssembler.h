#pragma once
// The per-batch work of the DataLoader, free of threading: gather, augment, convert, normalise, move.

#include "engine/data/DataLoader.h"

namespace netdraft::engine {

/// Makes the batches of one epoch from an in-memory dataset. Whole-batch tensor operations only:
/// samples are gathered with index_select into a batch buffer (reused on the CPU, pinned for CUDA),
/// then cropped/flipped with one indexing operation, converted to float and normalised in place.
class BatchAssembler {
public:
    /// Checks the options against the data (normalisation channel count, augmentation on images only).
    BatchAssembler(const InMemoryDataset& data, const LoaderOptions& options);

    int64_t batchesPerEpoch() const;
    /// Draws the sample order of `epoch` from (seed, epoch).
    void startEpoch(int64_t epoch);
    /// Batch `index` of the current epoch's order; augmentation draws depend on (seed, epoch, index) only.
    Batch assemble(int64_t epoch, int64_t index);

private:
    torch::Tensor gatherInputs(const torch::Tensor& indices);
    /// Crops and flips `images`, samples `first`… of a batch of `batchSize` (a shard's part of it).
    torch::Tensor augment(const torch::Tensor& images, int64_t epoch, int64_t index, int64_t first, int64_t batchSize) const;
    torch::Tensor toModelInput(torch::Tensor inputs) const;

    InMemoryDataset data_;
    LoaderOptions options_;
    bool images_; ///< uint8 N×C×H×W: the augmentable, uint8-to-float case
    torch::Tensor order_; ///< this epoch's sample order
    torch::Tensor staging_; ///< reused uint8 gather buffer on the CPU
    torch::Tensor mean_; ///< shaped to broadcast over a batch, on the device
    torch::Tensor std_;
};

} // namespace netdraft::engine
