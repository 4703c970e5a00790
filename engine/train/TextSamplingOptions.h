#pragma once
// How a trained language model's sampled text is drawn (LibTorch-free, for TrainingSession's users).

#include <cstdint>

namespace netdraft::engine {

/// How continuations are drawn.
struct TextSamplingOptions {
    int64_t samples = 3; ///< continuations, each from its own prompt; 0 = none
    int64_t tokens = 40; ///< tokens generated per continuation
    double temperature = 0.0; ///< 0: greedy (the most likely token); above 0: drawn from softmax(logits / temperature)
    uint64_t seed = 0; ///< the draws when temperature > 0
};

} // namespace netdraft::engine
