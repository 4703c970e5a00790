#pragma once
// Losses register themselves from their own files (engine/train/losses/), so adding one touches only
// its file: the registry also makes the name one of TrainingSettings' `loss` choices and records
// whether it wants class indexes (isClassificationLoss).

#include "engine/project/TrainingSettings.h"
#include "engine/core/NamedRegistry.h"

#include <torch/torch.h>

#include <functional>
#include <string>

namespace netdraft::engine {

/// The settings a loss may use besides output and target.
struct LossOptions {
    double labelSmoothing = 0.0; ///< in [0, 1); cross_entropy uses it
    torch::Tensor classWeights; ///< per-class weights, or undefined
};

/// The mean loss of a batch (see LossFunction::operator() for the target conventions).
using LossComputation = std::function<torch::Tensor(
    const torch::Tensor& output, const torch::Tensor& target, const LossOptions& options)>;

/// One loss: the value of TrainingSettings::loss, and everything that names it.
struct LossEntry {
    std::string name;
    int listPosition = 0; ///< order of the settings form's list
    bool classification = false; ///< wants class indexes as targets (the data check asks isClassificationLoss)
    LossComputation compute;
    /// train.py: the statements of compute_loss(outputs, targets, s) for this name, ending in a `return`
    /// of the loss, one per line without indentation. They may use `outputs`, `targets` (int64 class
    /// indexes or float values), the settings dictionary `s`, `F` (torch.nn.functional) and
    /// value_targets(outputs, targets) (floats shaped for element-wise losses, indexes made one-hot).
    std::string python;
};

/// The registered losses.
class LossRegistry : public NamedRegistry<LossEntry> {
public:
    static LossRegistry& instance();
    /// Adds (or replaces) `entry`, makes its name a TrainingSettings `loss` choice and records its
    /// `classification` flag there.
    void add(LossEntry entry);

private:
    LossRegistry();
};

/// Class indexes (int64, N) for a loss over class scores N×C; throws Error naming `loss` otherwise.
torch::Tensor classIndexTargets(const std::string& loss, const torch::Tensor& output, const torch::Tensor& target);
/// Float targets shaped like `output` (or with as many elements), for element-wise losses.
torch::Tensor elementTargets(const torch::Tensor& output, const torch::Tensor& target);
/// `weights` on the device and in the dtype of `output`; undefined stays undefined.
torch::Tensor weightsOn(const torch::Tensor& weights, const torch::Tensor& output);

} // namespace netdraft::engine

/// Registers a LossEntry{name, listPosition, classification, compute, python} at load time; use once
/// per loss in its own .cpp.
#define NETDRAFT_REGISTER_LOSS(...)                                                                                    \
    NETDRAFT_REGISTRATION(::netdraft::engine::LossRegistry::instance().add(__VA_ARGS__))
