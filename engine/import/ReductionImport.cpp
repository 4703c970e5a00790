#include "engine/import/ReductionImport.h"

#include <algorithm>

namespace netdraft::engine {

std::optional<std::string> reductionLayerType(const std::string& kind, int rank, const IntList& dims, bool keepdim)
{
    IntList sorted = dims;
    for (int64_t& dim : sorted)
        dim = dim < 0 ? dim + rank : dim;
    std::sort(sorted.begin(), sorted.end());
    if (sorted.empty() || sorted.front() <= 0)
        return std::nullopt;
    if (kind == "mean" && rank == 4 && sorted == IntList { 2, 3 } && !keepdim)
        return std::string("GlobalAvgPool");
    return std::string(kind == "mean" ? "Mean" : kind == "sum" ? "Sum" : "Max");
}

} // namespace netdraft::engine
