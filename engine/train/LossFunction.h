#pragma once
// The training loss named by the settings, with its target conventions in one place.

#include "engine/project/TrainingSettings.h"

#include <torch/torch.h>

#include <string>

namespace netdraft::engine {

/// cross_entropy (label smoothing, class weights), nll (on log-probabilities), bce_with_logits, mse, l1 or
/// smooth_l1, reduced by the batch mean.
class LossFunction {
public:
    /// Throws Error for an unknown name or a label smoothing outside [0, 1).
    explicit LossFunction(std::string name, double labelSmoothing = 0.0, torch::Tensor classWeights = {});
    /// The loss of `settings` (loss, label_smoothing).
    static LossFunction fromSettings(const TrainingSettings& settings, torch::Tensor classWeights = {});

    /// The mean loss of a batch. Targets follow the dataset conventions: class indexes (int64, N) for
    /// cross_entropy and nll, class indexes or 0/1 floats for bce_with_logits (one-hot when the output
    /// has several columns), float values shaped like the output (or with as many elements) otherwise.
    torch::Tensor operator()(const torch::Tensor& output, const torch::Tensor& target) const;

    const std::string& name() const { return name_; }
    /// Whether the loss wants class indexes (cross_entropy, nll, bce_with_logits).
    bool isClassification() const;

private:
    std::string name_;
    double labelSmoothing_;
    torch::Tensor classWeights_;
};

} // namespace netdraft::engine
