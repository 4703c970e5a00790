#include "engine/train/OptimizerFactory.h"

#include "engine/core/Error.h"

namespace netdraft::engine {

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(
    const TrainingSettings& settings, std::vector<torch::Tensor> parameters)
{
    namespace optim = torch::optim;
    const std::string& name = settings.optimizer;
    const double lr = settings.learningRate;
    if (name == "sgd") {
        // LibTorch refuses Nesterov without momentum; say so in our words.
        ND_CHECK(!settings.nesterov || settings.momentum > 0, "training setting nesterov: needs momentum > 0");
        return std::make_unique<optim::SGD>(std::move(parameters),
            optim::SGDOptions(lr)
                .momentum(settings.momentum)
                .nesterov(settings.nesterov)
                .weight_decay(settings.weightDecay));
    }
    if (name == "adam")
        return std::make_unique<optim::Adam>(std::move(parameters),
            optim::AdamOptions(lr)
                .betas(std::make_tuple(settings.beta1, settings.beta2))
                .weight_decay(settings.weightDecay));
    if (name == "adamw")
        return std::make_unique<optim::AdamW>(std::move(parameters),
            optim::AdamWOptions(lr)
                .betas(std::make_tuple(settings.beta1, settings.beta2))
                .weight_decay(settings.weightDecay));
    if (name == "rmsprop")
        return std::make_unique<optim::RMSprop>(std::move(parameters),
            optim::RMSpropOptions(lr).momentum(settings.momentum).weight_decay(settings.weightDecay));
    if (name == "adagrad")
        return std::make_unique<optim::Adagrad>(
            std::move(parameters), optim::AdagradOptions(lr).weight_decay(settings.weightDecay));
    ND_CHECK(false, "training setting optimizer: expected sgd, adam, adamw, rmsprop or adagrad, got '", name, "'");
    return nullptr;
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
