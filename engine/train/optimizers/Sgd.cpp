// SGD with momentum, Nesterov momentum and weight decay.

#include "engine/core/Error.h"
#include "engine/train/OptimizerRegistry.h"

namespace netdraft::engine {
namespace {

std::unique_ptr<torch::optim::Optimizer> makeSgd(
    const TrainingSettings& settings, std::vector<torch::Tensor> parameters)
{
    // LibTorch refuses Nesterov without momentum; say so in our words.
    ND_CHECK(!settings.nesterov || settings.momentum > 0, "training setting nesterov: needs momentum > 0");
    return std::make_unique<torch::optim::SGD>(std::move(parameters),
        torch::optim::SGDOptions(settings.learningRate)
            .momentum(settings.momentum)
            .nesterov(settings.nesterov)
            .weight_decay(settings.weightDecay));
}

NETDRAFT_REGISTER_OPTIMIZER({ "sgd", 10, makeSgd,
    R"PY(torch.optim.SGD(parameters, lr=lr, momentum=s["momentum"], nesterov=s["nesterov"], weight_decay=decay))PY" });

} // namespace
} // namespace netdraft::engine
