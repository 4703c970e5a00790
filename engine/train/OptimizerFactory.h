#pragma once
// Builds the LibTorch optimizer named by the training settings (OptimizerRegistry).

#include "engine/project/TrainingSettings.h"
#include "engine/train/LearningRateScales.h"

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace netdraft::engine {

/// The registered optimizer settings.optimizer (sgd, adam, adamw, rmsprop, adagrad, ...) over
/// `parameters`, with the settings' learning rate and hyperparameters. Throws Error naming the
/// registered optimizers for an unknown name.
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(
    const TrainingSettings& settings, std::vector<torch::Tensor> parameters);

/// The same with one parameter group per element of `groups` (groupByLearningRateScale), each at the
/// settings' learning rate times its scale. Built over all parameters at once and then split, because
/// some LibTorch optimizers (Adagrad) make their state only for the parameters given to the constructor.
std::unique_ptr<torch::optim::Optimizer> makeOptimizer(
    const TrainingSettings& settings, const std::vector<ScaledParameters>& groups);

/// Sets parameter group i to `learningRate` · scales[i] (scalesOf() of the groups it was made with);
/// throws Error when the counts differ.
void setLearningRate(torch::optim::Optimizer& optimizer, double learningRate, const std::vector<double>& scales);

/// The learning rate of the first parameter group.
double learningRateOf(const torch::optim::Optimizer& optimizer);

/// The run's learning rate, without the first group's scale (scales as for setLearningRate): what logs
/// and plots show. Exact when a group of scale 1 exists, which groupByLearningRateScale puts first.
double learningRateOf(const torch::optim::Optimizer& optimizer, const std::vector<double>& scales);

} // namespace netdraft::engine
