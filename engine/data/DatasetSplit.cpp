#include "engine/data/DatasetSplit.h"

#include "engine/core/Error.h"
#include "engine/data/SeededRandom.h"

#include <cmath>
#include <numeric>

namespace netdraft::engine {

torch::Tensor seededPermutation(int64_t count, uint64_t seed)
{
    torch::Tensor order = torch::arange(count, torch::kInt64);
    int64_t* values = order.data_ptr<int64_t>();
    SeededRandom random(mixSeed({ seed, static_cast<uint64_t>(count) }));
    // Fisher-Yates with our own integer draws, so orders agree across platforms and LibTorch versions.
    for (int64_t i = count - 1; i > 0; --i)
        std::swap(values[i], values[random.below(i + 1)]);
    return order;
}

InMemoryDataset selectSamples(const InMemoryDataset& data, const torch::Tensor& indices)
{
    InMemoryDataset part;
    part.inputs = data.inputs.index_select(0, indices);
    part.targets = data.targets.index_select(0, indices);
    part.classNames = data.classNames;
    part.inputScale = data.inputScale;
    part.description = data.description;
    return part;
}

std::pair<InMemoryDataset, InMemoryDataset> splitOff(const InMemoryDataset& data, double fraction, uint64_t seed)
{
    ND_CHECK(fraction >= 0.0 && fraction < 1.0, "split fraction must be in [0, 1), got ", fraction);
    int64_t heldOut = static_cast<int64_t>(std::llround(fraction * static_cast<double>(data.size())));
    torch::Tensor order = seededPermutation(data.size(), seed);
    torch::Tensor heldOutIndices = std::get<0>(order.narrow(0, 0, heldOut).sort());
    torch::Tensor restIndices = std::get<0>(order.narrow(0, heldOut, data.size() - heldOut).sort());
    return { selectSamples(data, restIndices), selectSamples(data, heldOutIndices) };
}

} // namespace netdraft::engine
