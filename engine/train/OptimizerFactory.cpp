#include "engine/train/OptimizerFactory.h"

#include "engine/train/OptimizerRegistry.h"

namespace netdraft::engine {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(
    const TrainingSettings& settings, std::vector<torch::Tensor> parameters)
{
    return OptimizerRegistry::instance().get(settings.optimizer).make(settings, std::move(parameters));
}

void setLearningRate(torch::optim::Optimizer& optimizer, double learningRate)
{
    for (auto& group : optimizer.param_groups())
        group.options().set_lr(learningRate);
}

double learningRateOf(const torch::optim::Optimizer& optimizer)
{
    const auto& groups = optimizer.param_groups();
    return groups.empty() ? 0.0 : groups.front().options().get_lr();
}

} // namespace netdraft::engine
