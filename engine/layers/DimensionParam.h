#pragma once
// Checks a "dim" parameter (Softmax, Concat, Transpose, Mean) against the rank of the input.

#include "engine/layers/InferenceContext.h"

#include <optional>
#include <string>

namespace netdraft::engine {

/// The integer parameter `param` as a dimension of input 0 (negative values count from the end).
/// Records an error and returns nullopt when it is out of range, or when it selects the batch
/// dimension and `allowBatch` is false.
std::optional<int64_t> resolveDimension(InferenceContext& context, const std::string& param, bool allowBatch);
/// The same for a value of `param` (one entry of a list such as Permute's dims) against a tensor of
/// `shape`: dimensions count the batch as 0, negative values count from the end.
std::optional<int64_t> resolveDimension(
    InferenceContext& context, const std::string& param, int64_t dim, const Shape& shape, bool allowBatch);

} // namespace netdraft::engine
