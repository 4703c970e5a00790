#include "engine/insight/NetworkCost.h"

#include "engine/core/Error.h"
#include "engine/insight/OptimizerState.h"
#include "engine/insight/ParameterCounter.h"
#include "engine/insight/ParameterShare.h"
#include "engine/project/TrainingSettings.h"

#include <cstdio>
#include <iterator>
#include <limits>
#include <vector>

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
    ParameterCounter counter;
    return costOf(network, counter.countsOf(network), options);
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
    cost.warnings = parameterShareWarnings(network, cost);
    return cost;
}

namespace {

/// `value` in the largest of `units` (each `step` times the one before) that keeps it at least 1;
/// the first unit shows whole numbers, the others two decimals (one from 10 up with fewerDigitsAbove10).
std::string scaled(int64_t value, double step, const std::vector<const char*>& units, bool fewerDigitsAbove10)
{
    double shown = static_cast<double>(value);
    size_t unit = 0;
    while (shown >= step && unit + 1 < units.size()) {
        shown /= step;
        ++unit;
    }
    char text[32];
    if (unit == 0)
        std::snprintf(text, sizeof text, "%lld%s", static_cast<long long>(value), units[0]);
    else
        std::snprintf(text, sizeof text, "%.*f%s", fewerDigitsAbove10 && shown >= 10 ? 1 : 2, shown, units[unit]);
    return text;
}

} // namespace

std::string formatCount(int64_t count)
{
    return scaled(count, 1000, { "", " k", " M", " G", " T" }, false);
}

std::string formatBytes(int64_t bytes)
{
    return scaled(bytes, 1024, { " B", " KiB", " MiB", " GiB", " TiB" }, true);
}

} // namespace netdraft::engine
