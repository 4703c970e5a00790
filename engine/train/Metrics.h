#pragma once
// Loss and quality figures of a pass over data, accumulated batch by batch on the device.

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace netdraft::engine {

/// Figures of one pass (an epoch's training, a validation or test evaluation); plain values only.
struct Metrics {
    int64_t samples = 0;
    double loss = 0.0; ///< mean loss per sample
    std::optional<double> accuracy; ///< classification: share of correct top-1 predictions
    std::optional<double> topFiveAccuracy; ///< classification, when asked for
    std::optional<double> meanAbsoluteError; ///< regression
    std::optional<double> rootMeanSquaredError; ///< regression
    std::vector<double> perClassAccuracy; ///< recall per class (NaN for a class with no samples); evaluation only
    std::vector<std::vector<int64_t>> confusionMatrix; ///< [true class][predicted class]; evaluation only
};

/// Counts of `predicted` against `target` (both class indexes) as a classes×classes int64 tensor, rows
/// indexed by the true class.
torch::Tensor confusionMatrix(const torch::Tensor& predicted, const torch::Tensor& target, int64_t classes);

/// Diagonal over row sums of a confusion matrix; NaN for rows without samples.
std::vector<double> perClassAccuracy(const torch::Tensor& confusion);

/// The predicted class of each row of network outputs: argmax, or logit > 0 for a single column.
torch::Tensor predictedClasses(const torch::Tensor& output);

/// Accumulates Metrics over batches without a host sync per batch (except when asked for running values).
class MetricAccumulator {
public:
    struct Options {
        bool topFive = false; ///< also count top-5 hits
        bool confusion = false; ///< also build the confusion matrix and per-class accuracy
    };

    explicit MetricAccumulator(Options options);
    MetricAccumulator()
        : MetricAccumulator(Options {})
    {
    }

    /// Adds one batch: the network `output`, its `target` (class indexes → classification metrics; floats
    /// → MAE/RMSE) and the batch's mean `loss`.
    void add(const torch::Tensor& output, const torch::Tensor& target, const torch::Tensor& loss);

    int64_t samples() const { return samples_; }
    /// Mean loss and accuracy so far (these sync with the device).
    double runningLoss() const;
    std::optional<double> runningAccuracy() const;
    /// Everything accumulated so far.
    Metrics result() const;

private:
    Options options_;
    int64_t samples_ = 0;
    bool classification_ = false;
    bool regression_ = false;
    int64_t regressionValues_ = 0;
    torch::Tensor lossSum_;
    torch::Tensor correct_;
    torch::Tensor topFiveCorrect_;
    torch::Tensor absoluteErrorSum_;
    torch::Tensor squaredErrorSum_;
    torch::Tensor confusion_;
};

} // namespace netdraft::engine
