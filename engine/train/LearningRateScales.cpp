#include "engine/train/LearningRateScales.h"

#include <algorithm>

namespace netdraft::engine {

std::map<std::string, double> learningRateScales(const CompiledNetwork& network)
{
    std::map<std::string, double> scales;
    for (const NetworkStep& step : network.steps())
        if (step.block->learningRateScale != 1.0)
            scales[step.id()] = step.block->learningRateScale;
    return scales;
}

std::vector<ScaledParameters> groupByLearningRateScale(
    const GraphModelImpl& model, const std::map<std::string, double>& scaleByBlock)
{
    std::map<const void*, double> scaleOfParameter;
    for (const auto& [id, scale] : scaleByBlock)
        if (auto module = model.blockModule(id))
            for (const torch::Tensor& parameter : module->parameters())
                scaleOfParameter[parameter.unsafeGetTensorImpl()] = scale;
    std::vector<ScaledParameters> groups { ScaledParameters {} }; // scale 1 first
    for (const torch::Tensor& parameter : model.parameters()) {
        if (!parameter.requires_grad())
            continue;
        const auto found = scaleOfParameter.find(parameter.unsafeGetTensorImpl());
        const double scale = found == scaleOfParameter.end() ? 1.0 : found->second;
        auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.scale == scale; });
        if (group == groups.end())
            group = groups.insert(groups.end(), ScaledParameters { scale, {} });
        group->parameters.push_back(parameter);
    }
    if (groups.front().parameters.empty() && groups.size() > 1)
        groups.erase(groups.begin());
    return groups;
}

std::vector<double> scalesOf(const std::vector<ScaledParameters>& groups)
{
    std::vector<double> scales;
    for (const ScaledParameters& group : groups)
        scales.push_back(group.scale);
    return scales;
}

} // namespace netdraft::engine
