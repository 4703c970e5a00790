#pragma once
// The cost of a network as JSON, for `netdraft-cli summary --json` and scripts.

#include "engine/insight/NetworkCost.h"

#include <string>

namespace netdraft::engine {

/// {"total_parameters", "trainable_parameters", "frozen_parameters", "total_macs" (one sample),
///  "memory": {..., "capacity_bytes", "fits", "largest_batch_size"}, "blocks": [...]}, indented.
/// `capacityBytes` is the memory the training estimate is compared with.
std::string networkCostJson(const NetworkCost& cost, int64_t capacityBytes);

} // namespace netdraft::engine
