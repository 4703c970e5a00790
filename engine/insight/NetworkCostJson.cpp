#include "engine/insight/NetworkCostJson.h"

#include <nlohmann/json.hpp>

#include <limits>

namespace netdraft::engine {

std::string networkCostJson(const NetworkCost& cost, const DeviceMemory& device)
{
    const int64_t capacityBytes = device.capacityBytes;
    const TrainingMemory& memory = cost.memory;
    nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
    for (const BlockCost& block : cost.blocks) {
        blocks.push_back({ { "id", block.id }, { "type", block.type }, { "output_shape", block.output.toString() },
            { "output_sample_shape", block.output.sampleDims() }, { "frozen", block.frozen },
            { "parameters", block.parameters() }, { "trainable_parameters", block.trainableParameters },
            { "frozen_parameters", block.frozenParameters }, { "macs", block.multiplyAccumulates },
            { "activation_bytes", block.activationBytes } });
    }
    const int64_t largest = memory.largestBatchSize(capacityBytes);
    nlohmann::ordered_json json {
        { "total_parameters", cost.totalParameters() },
        { "trainable_parameters", cost.trainableParameters() },
        { "frozen_parameters", cost.frozenParameters() },
        { "total_macs", cost.totalMultiplyAccumulates() },
        { "memory",
            { { "batch_size", memory.batchSize }, { "optimizer", cost.options.optimizer },
                { "optimizer_state_values_per_parameter", cost.options.optimizerStateValuesPerParameter },
                { "activation_bytes_per_value", cost.options.activationBytesPerValue },
                { "parameter_bytes", memory.parameterBytes }, { "gradient_bytes", memory.gradientBytes },
                { "optimizer_state_bytes", memory.optimizerStateBytes },
                { "activation_bytes", memory.activationBytes() },
                { "activation_bytes_per_sample", memory.activationBytesPerSample },
                { "total_bytes", memory.totalBytes() }, { "device", device.device }, { "device_name", device.name },
                { "capacity_bytes", capacityBytes }, { "fits", memory.fitsIn(capacityBytes) },
                // null: nothing grows with the batch, any batch fits
                { "largest_batch_size",
                    largest == std::numeric_limits<int64_t>::max() ? nlohmann::ordered_json(nullptr)
                                                                   : nlohmann::ordered_json(largest) } } },
        { "blocks", blocks },
    };
    return json.dump(2);
}

} // namespace netdraft::engine
