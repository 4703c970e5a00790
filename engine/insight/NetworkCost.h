#pragma once
// What a network costs: parameters (trainable and frozen), multiply-accumulates and activation
// memory per block, and an estimate of the memory training takes at a batch size
// (docs/INSIGHT.md has the conventions). A walk over the compiled network, nothing more.

#include "engine/core/Problem.h"
#include "engine/core/Shape.h"
#include "engine/network/CompiledNetwork.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace netdraft::engine {

struct TrainingSettings;

/// The figures of one block (one step of the compiled network, Input included, Output left out).
struct BlockCost {
    std::string id; ///< expanded id ("enc1__conv")
    std::string type; ///< layer type
    Shape output;
    bool frozen = false;
    int64_t trainableParameters = 0;
    int64_t frozenParameters = 0;
    int64_t multiplyAccumulates = 0; ///< for one sample
    int64_t activationBytes = 0; ///< its output for the whole batch

    int64_t parameters() const { return trainableParameters + frozenParameters; }
};

/// Memory training takes: weights, gradients of the trainable ones, the optimizer's state for them,
/// and every block's output kept for the backward pass.
struct TrainingMemory {
    int64_t batchSize = 1;
    int64_t parameterBytes = 0;
    int64_t gradientBytes = 0;
    int64_t optimizerStateBytes = 0;
    int64_t activationBytesPerSample = 0;

    int64_t activationBytes() const { return activationBytesPerSample * batchSize; }
    /// What does not grow with the batch.
    int64_t fixedBytes() const { return parameterBytes + gradientBytes + optimizerStateBytes; }
    int64_t totalBytes() const { return fixedBytes() + activationBytes(); }
    bool fitsIn(int64_t capacityBytes) const { return totalBytes() <= capacityBytes; }
    /// The largest batch size whose total fits in `capacityBytes`; 0 when not even one sample does.
    int64_t largestBatchSize(int64_t capacityBytes) const;
};

/// How to count: the batch, the precision and the optimizer.
struct CostOptions {
    int64_t batchSize = 1;
    int64_t activationBytesPerValue = 4; ///< 2 under mixed precision (fp16, bf16)
    int64_t parameterBytesPerValue = 4; ///< weights, gradients and optimizer state stay float32
    /// Values of optimizer state per trainable parameter: SGD with momentum 1, Adam 2 (see optimizerStateValues).
    int64_t optimizerStateValuesPerParameter = 0;
    std::string optimizer; ///< for the report only

    /// The project's batch size, precision and optimizer (its state measured through the registry).
    static CostOptions fromSettings(const TrainingSettings& settings);
};

/// The cost of every block and the totals.
struct NetworkCost {
    std::vector<BlockCost> blocks;
    TrainingMemory memory;
    CostOptions options;
    /// What the figures warn of, per block (severity Warning): a layer holding most of the
    /// parameters because of a huge flattened input (ParameterShare.h).
    std::vector<Problem> warnings;

    int64_t trainableParameters() const;
    int64_t frozenParameters() const;
    int64_t totalParameters() const { return trainableParameters() + frozenParameters(); }
    int64_t totalMultiplyAccumulates() const;
};

/// Counts the network; parameters are those of each block's LibTorch module (a fresh ParameterCounter).
NetworkCost costOf(const CompiledNetwork& network, const CostOptions& options = {});
/// The same with parameter counts at hand: a ParameterCounter kept between edits, or a built model's
/// GraphModelImpl::parameterCounts().
NetworkCost costOf(const CompiledNetwork& network, const std::map<std::string, int64_t>& parameterCounts,
    const CostOptions& options = {});

/// "11.69 M", "1.81 G", "512": a count with an SI suffix, for tables.
std::string formatCount(int64_t count);
/// "44.6 MiB", "1.50 GiB": bytes in binary units.
std::string formatBytes(int64_t bytes);

} // namespace netdraft::engine
