#include "engine/insight/NetworkCostJson.h"

#include <nlohmann/json.hpp>

#include <limits>

namespace netdraft::engine {

std::vector<Problem> designWarnings(const CompiledNetwork& network, const NetworkCost& cost)
{
    std::vector<Problem> warnings;
    for (const Problem& problem : network.inference().problems())
        if (!problem.isError())
            warnings.push_back(problem);
    warnings.insert(warnings.end(), cost.warnings.begin(), cost.warnings.end());
    return warnings;
}

std::string networkCostJson(const NetworkCost& cost, const DeviceMemory& device, const CompiledNetwork* network,
    const std::vector<Problem>& warnings)
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
    nlohmann::ordered_json warningList = nlohmann::ordered_json::array();
    for (const Problem& warning : warnings) {
        // The name the canvas shows: a named block's name, else its id (inner blocks of a composite
        // keep their expanded id, as the cost table lists them).
        std::string displayName = warning.blockId;
        if (network) {
            const auto& names = network->inference().names;
            if (auto named = names.find(warning.blockId); named != names.end())
                displayName = named->second;
        }
        warningList.push_back({ { "block_id", warning.blockId }, { "display_name", displayName },
            { "message", warning.message }, { "text", warning.toString() } });
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
        { "warnings", warningList },
    };
    return json.dump(2);
}

} // namespace netdraft::engine
