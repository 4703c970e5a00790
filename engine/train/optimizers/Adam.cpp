// Adam with L2 weight decay added to the gradient.

#include "engine/train/OptimizerRegistry.h"

namespace netdraft::engine {
namespace {

std::unique_ptr<torch::optim::Optimizer> makeAdam(
    const TrainingSettings& settings, std::vector<torch::Tensor> parameters)
{
    return std::make_unique<torch::optim::Adam>(std::move(parameters),
        torch::optim::AdamOptions(settings.learningRate)
            .betas(std::make_tuple(settings.beta1, settings.beta2))
            .weight_decay(settings.weightDecay));
}

NETDRAFT_REGISTER_OPTIMIZER(
    { "adam", 20, makeAdam, R"PY(torch.optim.Adam(parameters, lr=lr, betas=s["betas"], weight_decay=decay))PY" });

} // namespace
} // namespace netdraft::engine
