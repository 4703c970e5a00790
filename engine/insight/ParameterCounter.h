#pragma once
// Parameter counts per block without building the whole model each time (docs/INSIGHT.md).

#include "engine/network/CompiledNetwork.h"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>

namespace netdraft::engine {

/// Counts each step's parameters by building that block's module alone, the count GraphModel gets.
/// Layer descriptions carry no parameter formula, so building is the one exact count; it allocates
/// and initialises the block's weights. The counter remembers every block it built by type,
/// parameters and shapes, so counting again after an edit builds only the blocks that changed.
/// Not thread-safe: one counter per thread.
class ParameterCounter {
public:
    /// Expanded block id → parameters, for every step of `network`.
    std::map<std::string, int64_t> countsOf(const CompiledNetwork& network);
    /// How many block modules were built so far (cache misses), for tests.
    int64_t blocksBuilt() const { return blocksBuilt_; }

private:
    std::unordered_map<std::string, int64_t> counted_;
    int64_t blocksBuilt_ = 0;
};

} // namespace netdraft::engine
