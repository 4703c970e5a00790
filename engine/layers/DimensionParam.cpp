#include "engine/layers/DimensionParam.h"

namespace netdraft::engine {

std::optional<int64_t> resolveDimension(InferenceContext& context, const std::string& param, bool allowBatch)
{
    return resolveDimension(context, param, context.params().integer(param), context.input(), allowBatch);
}

std::optional<int64_t> resolveDimension(
    InferenceContext& context, const std::string& param, int64_t dim, const Shape& input, bool allowBatch)
{
    const int64_t rank = input.rank();
    const int64_t resolved = dim < 0 ? dim + rank : dim;
    if (resolved < 0 || resolved >= rank) {
        context.error(param + " " + std::to_string(dim) + " is out of range for the " + std::to_string(rank)
            + "-dimensional input " + input.toString() + " (expected " + std::to_string(-rank) + " to "
            + std::to_string(rank - 1) + ")");
        return std::nullopt;
    }
    if (resolved == 0 && !allowBatch) {
        context.error(param + " " + std::to_string(dim) + " selects the batch dimension of " + input.toString()
            + "; use 1 or higher");
        return std::nullopt;
    }
    return resolved;
}

} // namespace netdraft::engine
