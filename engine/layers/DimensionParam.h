#pragma once
// Checks a "dim" parameter (Softmax, Concat) against the rank of the input.

#include "engine/layers/InferenceContext.h"

#include <optional>
#include <string>

namespace netdraft::engine {

/// The integer parameter `param` as a dimension of input 0 (negative values count from the end).
/// Records an error and returns nullopt when it is out of range, or when it selects the batch
/// dimension and `allowBatch` is false.
std::optional<int64_t> resolveDimension(InferenceContext& context, const std::string& param, bool allowBatch);

} // namespace netdraft::engine
