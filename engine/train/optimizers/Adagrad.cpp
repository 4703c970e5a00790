// Adagrad with weight decay.

#include "engine/train/OptimizerRegistry.h"

namespace netdraft::engine {
namespace {

std::unique_ptr<torch::optim::Optimizer> makeAdagrad(
    const TrainingSettings& settings, std::vector<torch::Tensor> parameters)
{
    return std::make_unique<torch::optim::Adagrad>(
        std::move(parameters), torch::optim::AdagradOptions(settings.learningRate).weight_decay(settings.weightDecay));
}

NETDRAFT_REGISTER_OPTIMIZER(
    { "adagrad", 50, makeAdagrad, R"PY(torch.optim.Adagrad(parameters, lr=lr, weight_decay=decay))PY" });

} // namespace
} // namespace netdraft::engine
