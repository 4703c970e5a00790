#include "engine/data/DatasetSplit.h"

#include "engine/core/Error.h"
#include "engine/data/SeededRandom.h"

#include <cmath>
#include <cstring>
#include <vector>
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
    part.vocabulary = data.vocabulary;
    part.inputScale = data.inputScale;
    part.description = data.description;
    return part;
}

int64_t heldOutCount(double fraction, int64_t count)
{
    return static_cast<int64_t>(std::llround(fraction * static_cast<double>(count)));
}

std::pair<torch::Tensor, torch::Tensor> splitIndices(int64_t count, double fraction, uint64_t seed)
{
    ND_CHECK(fraction >= 0.0 && fraction < 1.0, "split fraction must be in [0, 1), got ", fraction);
    const int64_t heldOut = heldOutCount(fraction, count);
    const torch::Tensor order = seededPermutation(count, seed);
    torch::Tensor heldOutIndices = std::get<0>(order.narrow(0, 0, heldOut).sort());
    torch::Tensor restIndices = std::get<0>(order.narrow(0, heldOut, count - heldOut).sort());
    return { restIndices, heldOutIndices };
}

std::pair<InMemoryDataset, InMemoryDataset> splitOff(const InMemoryDataset& data, double fraction, uint64_t seed)
{
    const auto [rest, heldOut] = splitIndices(data.size(), fraction, seed);
    return { selectSamples(data, rest), selectSamples(data, heldOut) };
}

std::vector<InMemoryDataset> partitionInPlace(InMemoryDataset& data, const torch::Tensor& order,
                                              const std::vector<int64_t>& sizes)
{
    const int64_t count = data.size();
    ND_CHECK(order.numel() == count && std::accumulate(sizes.begin(), sizes.end(), int64_t(0)) == count,
             "partition: the order and the part sizes must cover all ", count, " samples");
    data.inputs = data.inputs.contiguous();
    if (count > 0) {
        // new[i] = old[order[i]], following each cycle of the permutation with one row of scratch.
        auto* bytes = static_cast<uint8_t*>(data.inputs.data_ptr());
        const size_t rowBytes = data.inputs.nbytes() / static_cast<size_t>(count);
        const torch::Tensor orderCpu = order.to(torch::kInt64).contiguous();
        const int64_t* from = orderCpu.data_ptr<int64_t>();
        std::vector<bool> placed(static_cast<size_t>(count), false);
        std::vector<uint8_t> scratch(rowBytes);
        for (int64_t start = 0; start < count; ++start) {
            if (placed[static_cast<size_t>(start)] || from[start] == start)
                continue;
            std::memcpy(scratch.data(), bytes + start * rowBytes, rowBytes);
            int64_t at = start;
            while (true) {
                placed[static_cast<size_t>(at)] = true;
                const int64_t source = from[at];
                ND_CHECK(source >= 0 && source < count, "partition: order holds ", source, ", not a sample index");
                if (source == start) {
                    std::memcpy(bytes + at * rowBytes, scratch.data(), rowBytes);
                    break;
                }
                std::memcpy(bytes + at * rowBytes, bytes + source * rowBytes, rowBytes);
                at = source;
            }
        }
    }
    data.targets = data.targets.index_select(0, order);
    std::vector<InMemoryDataset> parts;
    int64_t offset = 0;
    for (int64_t size : sizes) {
        InMemoryDataset part;
        part.inputs = data.inputs.narrow(0, offset, size);
        part.targets = data.targets.narrow(0, offset, size);
        part.classNames = data.classNames;
        part.vocabulary = data.vocabulary;
        part.inputScale = data.inputScale;
        part.description = data.description;
        parts.push_back(std::move(part));
        offset += size;
    }
    return parts;
}

} // namespace netdraft::engine
