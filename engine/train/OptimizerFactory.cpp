#include "engine/train/OptimizerFactory.h"

#include "engine/core/Error.h"
#include "engine/train/OptimizerRegistry.h"

namespace netdraft::engine {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(
    const TrainingSettings& settings, std::vector<torch::Tensor> parameters)
{
    return OptimizerRegistry::instance().get(settings.optimizer).make(settings, std::move(parameters));
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(
    const TrainingSettings& settings, const std::vector<ScaledParameters>& groups)
{
    std::vector<torch::Tensor> all;
    for (const ScaledParameters& group : groups)
        all.insert(all.end(), group.parameters.begin(), group.parameters.end());
    std::unique_ptr<torch::optim::Optimizer> optimizer = makeOptimizer(settings, all);
    if (groups.size() > 1) {
        std::vector<torch::optim::OptimizerParamGroup>& split = optimizer->param_groups();
        const std::unique_ptr<torch::optim::OptimizerOptions> options = split.front().options().clone();
        split.clear();
        for (const ScaledParameters& group : groups)
            split.emplace_back(group.parameters, options->clone());
    }
    if (!groups.empty())
        setLearningRate(*optimizer, settings.learningRate, scalesOf(groups));
    return optimizer;
}

void setLearningRate(torch::optim::Optimizer& optimizer, double learningRate, const std::vector<double>& scales)
{
    auto& groups = optimizer.param_groups();
    ND_CHECK(groups.size() == scales.size(), "training: the optimizer has ", groups.size(), " parameter groups but ",
        scales.size(), " learning-rate scales");
    for (size_t i = 0; i < groups.size(); ++i)
        groups[i].options().set_lr(learningRate * scales[i]);
}

double learningRateOf(const torch::optim::Optimizer& optimizer, const std::vector<double>& scales)
{
    const double first = learningRateOf(optimizer);
    return scales.empty() || scales.front() == 1.0 ? first : first / scales.front();
}

double learningRateOf(const torch::optim::Optimizer& optimizer)
{
    const auto& groups = optimizer.param_groups();
    return groups.empty() ? 0.0 : groups.front().options().get_lr();
}

} // namespace netdraft::engine
