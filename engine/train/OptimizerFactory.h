#pragma once
// Builds the LibTorch optimizer named by the training settings (OptimizerRegistry).

#include "engine/project/TrainingSettings.h"

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace netdraft::engine {

/// The registered optimizer settings.optimizer (sgd, adam, adamw, rmsprop, adagrad, ...) over
/// `parameters`, with the settings' learning rate and hyperparameters. Throws Error naming the
/// registered optimizers for an unknown name.
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(
    const TrainingSettings& settings, std::vector<torch::Tensor> parameters);

/// Sets the learning rate of every parameter group.
void setLearningRate(torch::optim::Optimizer& optimizer, double learningRate);

/// The learning rate of the first parameter group.
double learningRateOf(const torch::optim::Optimizer& optimizer);

} // namespace netdraft::engine
