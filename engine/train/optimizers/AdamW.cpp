// AdamW: Adam with decoupled weight decay.

#include "engine/train/OptimizerRegistry.h"

namespace netdraft::engine {
namespace {

std::unique_ptr<torch::optim::Optimizer> makeAdamW(
    const TrainingSettings& settings, std::vector<torch::Tensor> parameters)
{
    return std::make_unique<torch::optim::AdamW>(std::move(parameters),
        torch::optim::AdamWOptions(settings.learningRate)
            .betas(std::make_tuple(settings.beta1, settings.beta2))
            .weight_decay(settings.weightDecay));
}

NETDRAFT_REGISTER_OPTIMIZER(
    { "adamw", 30, makeAdamW, R"PY(torch.optim.AdamW(parameters, lr=lr, betas=s["betas"], weight_decay=decay))PY" });

} // namespace
} // namespace netdraft::engine
