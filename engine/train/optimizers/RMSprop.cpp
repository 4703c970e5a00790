// RMSprop with momentum and weight decay.

#include "engine/train/OptimizerRegistry.h"

namespace netdraft::engine {
namespace {

std::unique_ptr<torch::optim::Optimizer> makeRMSprop(
    const TrainingSettings& settings, std::vector<torch::Tensor> parameters)
{
    return std::make_unique<torch::optim::RMSprop>(std::move(parameters),
        torch::optim::RMSpropOptions(settings.learningRate)
            .momentum(settings.momentum)
            .weight_decay(settings.weightDecay));
}

NETDRAFT_REGISTER_OPTIMIZER({ "rmsprop", 40, makeRMSprop,
    R"PY(torch.optim.RMSprop(parameters, lr=lr, momentum=s["momentum"], weight_decay=decay))PY" });

} // namespace
} // namespace netdraft::engine
