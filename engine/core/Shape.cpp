#include "engine/core/Shape.h"

#include <limits>

namespace netdraft::engine {

Shape Shape::batched(const std::vector<int64_t>& sampleDims)
{
    std::vector<int64_t> dims{kBatch};
    dims.insert(dims.end(), sampleDims.begin(), sampleDims.end());
    return Shape(std::move(dims));
}

std::vector<int64_t> Shape::sampleDims() const
{
    if (!hasBatch())
        return dims_;
    return {dims_.begin() + 1, dims_.end()};
}

int64_t Shape::sampleElements() const
{
    int64_t product = 1;
    for (int64_t d : dims_) {
        if (d == kBatch)
            continue;
        if (d != 0 && product > std::numeric_limits<int64_t>::max() / d)
            return std::numeric_limits<int64_t>::max();
        product *= d;
    }
    return product;
}

std::vector<int64_t> Shape::withBatch(int64_t batchSize) const
{
    std::vector<int64_t> dims = dims_;
    for (int64_t& d : dims)
        if (d == kBatch)
            d = batchSize;
    return dims;
}

std::string Shape::toString() const
{
    std::string text;
    for (size_t i = 0; i < dims_.size(); ++i) {
        if (i > 0)
            text += "\u00d7";
        text += dims_[i] == kBatch ? std::string("N") : std::to_string(dims_[i]);
    }
    return text.empty() ? std::string("scalar") : text;
}

std::string formatFactors(const std::vector<int64_t>& dims)
{
    return Shape(dims).toString();
}

} // namespace netdraft::engine
