#pragma once
// The training loss named by the settings: the registered loss (LossRegistry) with its options.

#include "engine/project/TrainingSettings.h"
#include "engine/train/LossRegistry.h"

#include <torch/torch.h>

#include <string>

namespace netdraft::engine {

/// A registered loss (cross_entropy with label smoothing and class weights, nll on log-probabilities,
/// bce_with_logits, mse, l1, smooth_l1, ...) reduced by the batch mean.
class LossFunction {
public:
    /// Throws Error naming the registered losses for an unknown name, or for a label smoothing outside [0, 1).
    explicit LossFunction(std::string name, double labelSmoothing = 0.0, torch::Tensor classWeights = {});
    /// The loss of `settings` (loss, label_smoothing).
    static LossFunction fromSettings(const TrainingSettings& settings, torch::Tensor classWeights = {});

    /// The mean loss of a batch. Targets follow the dataset conventions: class indexes (int64, N) for
    /// cross_entropy and nll, class indexes or 0/1 floats for bce_with_logits (one-hot when the output
    /// has several columns), float values shaped like the output (or with as many elements) otherwise.
    torch::Tensor operator()(const torch::Tensor& output, const torch::Tensor& target) const;

    const std::string& name() const { return name_; }
    /// Whether the loss wants class indexes (cross_entropy, nll, bce_with_logits), as registered.
    bool isClassification() const { return classification_; }

private:
    std::string name_;
    LossComputation compute_;
    bool classification_ = false;
    double labelSmoothing_;
    torch::Tensor classWeights_;
};

} // namespace netdraft::engine
