#include "engine/insight/NetworkCost.h"

#include "engine/core/Error.h"
#include "engine/insight/OptimizerState.h"
#include "engine/model/GraphModel.h"
#include "engine/project/TrainingSettings.h"

#include <cstdio>
#include <iterator>
#include <limits>

namespace netdraft::engine {
namespace {

int64_t bytesPerValue(const NetworkStep& step, const NetworkSignature& signature, const CostOptions& options)
{
    if (step.block->type == "Input" && signature.inputDtype == "int64")
        return 8; // token ids
    return options.activationBytesPerValue;
}

} // namespace

int64_t TrainingMemory::largestBatchSize(int64_t capacityBytes) const
{
    if (fixedBytes() >= capacityBytes)
        return 0;
    if (activationBytesPerSample <= 0)
        return std::numeric_limits<int64_t>::max(); // nothing grows with the batch
    return (capacityBytes - fixedBytes()) / activationBytesPerSample;
}

CostOptions CostOptions::fromSettings(const TrainingSettings& settings)
{
    CostOptions options;
    options.batchSize = settings.batchSize;
    options.activationBytesPerValue = settings.precision == "fp32" ? 4 : 2;
    options.optimizer = settings.optimizer;
    options.optimizerStateValuesPerParameter = optimizerStateValues(settings);
    return options;
}

int64_t NetworkCost::trainableParameters() const
{
    int64_t total = 0;
    for (const BlockCost& block : blocks)
        total += block.trainableParameters;
    return total;
}

int64_t NetworkCost::frozenParameters() const
{
    int64_t total = 0;
    for (const BlockCost& block : blocks)
        total += block.frozenParameters;
    return total;
}

int64_t NetworkCost::totalMultiplyAccumulates() const
{
    int64_t total = 0;
    for (const BlockCost& block : blocks)
        total += block.multiplyAccumulates;
    return total;
}

NetworkCost costOf(const CompiledNetwork& network, const CostOptions& options)
{
    const GraphModel model = buildModel(network);
    return costOf(network, model->parameterCounts(), options);
}

NetworkCost costOf(
    const CompiledNetwork& network, const std::map<std::string, int64_t>& parameterCounts, const CostOptions& options)
{
    ND_CHECK(options.batchSize >= 1, "cost: the batch size must be at least 1, got ", options.batchSize);
    NetworkCost cost;
    cost.options = options;
    const auto& steps = network.steps();
    for (size_t i = 0; i < steps.size(); ++i) {
        if (i == network.outputStepIndex())
            continue; // the Output block passes the last layer's tensor on
        const NetworkStep& step = steps[i];
        BlockCost block;
        block.id = step.id();
        block.type = step.block->type;
        block.output = *step.info->output;
        block.frozen = step.block->frozen;
        const auto counted = parameterCounts.find(block.id);
        const int64_t parameters = counted == parameterCounts.end() ? 0 : counted->second;
        (block.frozen ? block.frozenParameters : block.trainableParameters) = parameters;
        block.multiplyAccumulates = step.type->multiplyAccumulates(step.buildContext());
        const int64_t perSample = block.output.sampleElements() * bytesPerValue(step, network.signature(), options);
        block.activationBytes = perSample * options.batchSize;
        cost.memory.activationBytesPerSample += perSample;
        cost.blocks.push_back(std::move(block));
    }
    cost.memory.batchSize = options.batchSize;
    cost.memory.parameterBytes = cost.totalParameters() * options.parameterBytesPerValue;
    cost.memory.gradientBytes = cost.trainableParameters() * options.parameterBytesPerValue;
    cost.memory.optimizerStateBytes
        = cost.trainableParameters() * options.optimizerStateValuesPerParameter * options.parameterBytesPerValue;
    return cost;
}

std::string formatCount(int64_t count)
{
    const char* suffixes[] = { "", " k", " M", " G", " T" };
    double value = static_cast<double>(count);
    size_t suffix = 0;
    while (value >= 1000 && suffix + 1 < std::size(suffixes)) {
        value /= 1000;
        ++suffix;
    }
    char text[32];
    if (suffix == 0)
        std::snprintf(text, sizeof text, "%lld", static_cast<long long>(count));
    else
        std::snprintf(text, sizeof text, "%.2f%s", value, suffixes[suffix]);
    return text;
}

std::string formatBytes(int64_t bytes)
{
    const char* units[] = { " B", " KiB", " MiB", " GiB", " TiB" };
    double value = static_cast<double>(bytes);
    size_t unit = 0;
    while (value >= 1024 && unit + 1 < std::size(units)) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    if (unit == 0)
        std::snprintf(text, sizeof text, "%lld B", static_cast<long long>(bytes));
    else
        std::snprintf(text, sizeof text, "%.*f%s", value < 10 ? 2 : 1, value, units[unit]);
    return text;
}

} // namespace netdraft::engine
