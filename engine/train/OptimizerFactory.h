#pragma once
// Builds the LibTorch optimizer named by the training settings.

#include "engine/project/TrainingSettings.h"

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace netdraft::engine {

/// SGD (momentum, Nesterov, weight decay), Adam, AdamW, RMSprop or Adagrad over `parameters`, with the
/// settings' learning rate, betas, momentum and weight decay. Throws Error for an unknown name.
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(
    const TrainingSettings& settings, std::vector<torch::Tensor> parameters);

/// Sets the learning rate of every parameter group.
void setLearningRate(torch::optim::Optimizer& optimizer, double learningRate);

/// The learning rate of the first parameter group.
double learningRateOf(const torch::optim::Optimizer& optimizer);

} // namespace netdraft::engine
