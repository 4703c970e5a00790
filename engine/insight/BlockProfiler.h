#pragma once
// Measured time of each block: forward and backward of a few batches after warm-up, on a device, with
// CUDA work synchronised around every measurement (docs/INSIGHT.md, "Time per block"). LibTorch-free
// interface, for the Qt app and the CLI.

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

class CompiledNetwork;

/// How to profile.
struct ProfileOptions {
    int64_t batchSize = 32;
    std::string device = "cpu"; ///< one device: cpu, cuda, cuda:K
    int64_t warmupBatches = 2; ///< run first and not measured (allocator, cuDNN's algorithm search)
    int64_t batches = 5; ///< measured; the figures are their mean
    uint64_t seed = 0; ///< the model's weights and the random batch

    /// Throws Error naming the option for a value out of range.
    void check() const;
};

/// One block's mean time per batch.
struct BlockTiming {
    std::string id; ///< expanded id, as NetworkCost's BlockCost::id
    double forwardMs = 0.0;
    /// From its output's gradient arriving to its inputs' gradients computed; 0 for a block that no
    /// gradient reaches (an Input fed token ids).
    double backwardMs = 0.0;
};

/// What the profile measured.
struct NetworkProfile {
    std::vector<BlockTiming> blocks; ///< in execution order
    /// The whole forward and backward passes measured without per-block synchronisation, to compare
    /// the blocks' sum with.
    double forwardMs = 0.0;
    double backwardMs = 0.0;
    int64_t batchSize = 0;
    int64_t batches = 0;
    std::string device;

    double blocksForwardMs() const;
    double blocksBackwardMs() const;
    /// The timing of `id`, or null.
    const BlockTiming* find(const std::string& id) const;
};

/// Runs the network built from `network` (in training mode, fp32) on random batches of its input shape
/// (token ids 0 for an int64 input) and a random output gradient. Throws Error for bad options or an
/// unavailable device.
NetworkProfile profileNetwork(const CompiledNetwork& network, const ProfileOptions& options);

} // namespace netdraft::engine
