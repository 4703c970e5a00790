#include "engine/data/Dataset.h"

namespace netdraft::engine {

std::vector<int64_t> InMemoryDataset::sampleShape() const
{
    if (!inputs.defined())
        return {};
    auto sizes = inputs.sizes().vec();
    return { sizes.begin() + 1, sizes.end() };
}

} // namespace netdraft::engine
