#include "engine/insight/ParameterShare.h"

#include <cmath>
#include <string>

namespace netdraft::engine {
namespace {

/// The sample sizes a Flatten merged into `step`'s first input, looking back through steps with one
/// input that keep their input's shape (ReLU, Dropout, BatchNorm1d); empty when it was not flattened.
std::vector<int64_t> flattenedInputOf(const CompiledNetwork& network, const NetworkStep& step)
{
    const NetworkStep* current = &step;
    while (!current->info->inputs.empty() && !current->inputSteps.empty()) {
        const Shape& input = current->info->inputs.front();
        if (!input.flattenedFrom().empty())
            return input.flattenedFrom();
        const NetworkStep& source = network.steps().at(current->inputSteps.front());
        if (source.inputSteps.size() != 1 || source.info->inputs.size() != 1 || !source.info->output
            || *source.info->output != source.info->inputs.front())
            return {};
        current = &source;
    }
    return {};
}

} // namespace

std::vector<Problem> parameterShareWarnings(
    const CompiledNetwork& network, const NetworkCost& cost, const ParameterShareLimits& limits)
{
    std::vector<Problem> warnings;
    const int64_t total = cost.totalParameters();
    if (total <= 0)
        return warnings;
    for (const BlockCost& block : cost.blocks) {
        const int64_t parameters = block.parameters();
        if (parameters < limits.minimumParameters || double(parameters) <= limits.share * double(total))
            continue;
        const NetworkStep& step = network.step(block.id);
        const std::vector<int64_t> flattened = flattenedInputOf(network, step);
        if (flattened.empty())
            continue;
        const int64_t features = Shape(flattened).sampleElements();
        const long percent = std::lround(100.0 * double(parameters) / double(total));
        Problem warning;
        warning.where = "block " + network.inference().blockLabel(block.id); // named as inference names it
        warning.blockId = block.id;
        warning.severity = Problem::Severity::Warning;
        warning.message = "this " + block.type + " holds " + formatCount(parameters) + " of the network's "
            + formatCount(total) + " parameters (" + std::to_string(percent) + " %) because it receives "
            + std::to_string(features) + " flattened features (" + formatFactors(flattened)
            + "): add pooling (MaxPool2d or AdaptiveAvgPool2d) before the Flatten to shrink the feature map";
        warnings.push_back(std::move(warning));
    }
    return warnings;
}

} // namespace netdraft::engine
