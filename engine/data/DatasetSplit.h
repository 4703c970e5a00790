#pragma once
// Seeded permutations and splits of an in-memory dataset.

#include "engine/data/Dataset.h"

#include <cstdint>
#include <utility>

namespace netdraft::engine {

/// 0..count-1 as an int64 tensor in an order fixed by `seed` alone.
torch::Tensor seededPermutation(int64_t count, uint64_t seed);

/// The samples at `indices` (int64), keeping class names and input scale.
InMemoryDataset selectSamples(const InMemoryDataset& data, const torch::Tensor& indices);

/// Holds out round(fraction × size) samples drawn by `seed`: {the rest, the held-out part}. Both
/// keep the original sample order.
std::pair<InMemoryDataset, InMemoryDataset> splitOff(const InMemoryDataset& data, double fraction, uint64_t seed);

} // namespace netdraft::engine
