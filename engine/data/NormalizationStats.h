#pragma once
// Per-channel mean and standard deviation of a dataset, for input normalisation.

#include "engine/data/DataLoader.h"
#include "engine/data/Dataset.h"

namespace netdraft::engine {

/// Mean and (population) std per channel, dimension 1 of the inputs (colour channels of images,
/// columns of features), of the values the loader feeds (uint8 divided by inputScale). Computed in
/// chunks, so a large uint8 set is never converted to float at once. Channels with (near) zero
/// spread get std 1. Token inputs (int64) are not normalised: the result is empty.
Normalization computeNormalization(const InMemoryDataset& data);

} // namespace netdraft::engine
