#pragma once
// Seeded permutations and splits of an in-memory dataset.

#include "engine/data/Dataset.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace netdraft::engine {

/// 0..count-1 as an int64 tensor in an order fixed by `seed` alone.
torch::Tensor seededPermutation(int64_t count, uint64_t seed);

/// The samples at `indices` (int64), keeping class names and input scale.
InMemoryDataset selectSamples(const InMemoryDataset& data, const torch::Tensor& indices);

/// Holds out round(fraction × size) samples drawn by `seed`: {the rest, the held-out part}. Both
/// keep the original sample order.
std::pair<InMemoryDataset, InMemoryDataset> splitOff(const InMemoryDataset& data, double fraction, uint64_t seed);

/// How many of `count` samples a split of `fraction` holds out: round(fraction × count).
int64_t heldOutCount(double fraction, int64_t count);

/// The sample indices splitOff would choose for a dataset of `count`: {the rest, the held-out part},
/// both ascending.
std::pair<torch::Tensor, torch::Tensor> splitIndices(int64_t count, double fraction, uint64_t seed);

/// Reorders the samples of `data` in place so that sample order[i] comes i-th (order: a permutation
/// of 0..size-1), and returns consecutive parts of `sizes` samples as views of that one buffer: the
/// parts cost no second copy of the inputs. `data` keeps the reordered whole.
std::vector<InMemoryDataset> partitionInPlace(InMemoryDataset& data, const torch::Tensor& order,
                                              const std::vector<int64_t>& sizes);

} // namespace netdraft::engine
