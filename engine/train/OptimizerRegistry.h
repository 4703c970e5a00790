#pragma once
// Optimizers register themselves from their own files (engine/train/optimizers/), so adding one
// touches only its file: the registry also makes the name one of TrainingSettings' `optimizer` choices.

#include "engine/project/TrainingSettings.h"
#include "engine/core/NamedRegistry.h"

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Makes the optimizer over `parameters` with the settings' learning rate and hyperparameters.
using OptimizerMaker = std::function<std::unique_ptr<torch::optim::Optimizer>(
    const TrainingSettings& settings, std::vector<torch::Tensor> parameters)>;

/// One optimizer: the value of TrainingSettings::optimizer, and everything that names it.
struct OptimizerEntry {
    std::string name;
    int listPosition = 0; ///< order of the settings form's list
    OptimizerMaker make;
    /// train.py: the expression make_optimizer(parameters, s) returns for this name; it may use
    /// `parameters`, the settings dictionary `s`, `lr` (learning rate) and `decay` (weight decay).
    std::string python;
};

/// The registered optimizers.
class OptimizerRegistry : public NamedRegistry<OptimizerEntry> {
public:
    static OptimizerRegistry& instance();
    /// Adds (or replaces) `entry` and makes its name a TrainingSettings `optimizer` choice.
    void add(OptimizerEntry entry);

private:
    OptimizerRegistry();
};

} // namespace netdraft::engine

/// Registers an OptimizerEntry{name, listPosition, make, python} at load time; use once per
/// optimizer in its own .cpp.
#define NETDRAFT_REGISTER_OPTIMIZER(...)                                                                               \
    NETDRAFT_REGISTRATION(::netdraft::engine::OptimizerRegistry::instance().add(__VA_ARGS__))
