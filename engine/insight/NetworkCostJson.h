#pragma once
// The cost of a network as JSON, for `netdraft-cli summary --json` and scripts.

#include "engine/insight/DeviceMemory.h"
#include "engine/insight/NetworkCost.h"

#include <string>

namespace netdraft::engine {

/// {"total_parameters", "trainable_parameters", "frozen_parameters", "total_macs" (one sample),
///  "memory": {..., "device", "device_name", "capacity_bytes", "fits", "largest_batch_size"},
///  "blocks": [...]}, indented. `device` is the memory the training estimate is compared with.
std::string networkCostJson(const NetworkCost& cost, const DeviceMemory& device);

} // namespace netdraft::engine
