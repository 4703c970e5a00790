#pragma once
// The cost of a network as JSON, for `netdraft-cli summary --json` and scripts.

#include "engine/core/Problem.h"
#include "engine/insight/DeviceMemory.h"
#include "engine/insight/NetworkCost.h"

#include <string>
#include <vector>

namespace netdraft::engine {

/// The warnings `netdraft-cli validate` prints for a network that compiles: inference's (an output
/// not used, …) in graph order, then the cost's (a layer holding most of the parameters).
std::vector<Problem> designWarnings(const CompiledNetwork& network, const NetworkCost& cost);

/// {"total_parameters", "trainable_parameters", "frozen_parameters", "total_macs" (one sample),
///  "memory": {..., "device", "device_name", "capacity_bytes", "fits", "largest_batch_size"},
///  "blocks": [...], "warnings": [{"block_id", "display_name", "message", "text"}]}, indented.
/// `device` is the memory the training estimate is compared with; `warnings` are designWarnings(),
/// their blocks named through `network`'s inference ("text" is the line validate prints after
/// "warning: "). Without a network the warnings are left empty.
std::string networkCostJson(const NetworkCost& cost, const DeviceMemory& device,
    const CompiledNetwork* network = nullptr, const std::vector<Problem>& warnings = {});

} // namespace netdraft::engine
