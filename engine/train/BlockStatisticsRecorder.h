#pragma once
// Records the per-block statistics of one training batch: watches the model's forward pass for each
// block's output, then reads each block's parameter gradients after the backward pass. The figures
// stay on the device until finish(), which moves them in one transfer.

#include "engine/model/GraphModel.h"
#include "engine/train/BlockStatistics.h"
#include "engine/train/RunBlockNames.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace netdraft::engine {

/// Mean, population std, share of zeros and max |x| of all values of `tensors` together, as a float64
/// tensor of 4 on their device (zeros for no values); with `withNorm` a fifth value, the L2 norm.
torch::Tensor summaryTensor(const std::vector<torch::Tensor>& tensors, bool withNorm = false);

/// The histogram of all values of `tensors` together as a float64 tensor of 2 + `bins` on their
/// device: low, high, then torch::histc's counts over [low, high] (the values' min and max, ± 1 when
/// they are equal). All zeros for no values or a value that is not finite.
torch::Tensor histogramTensor(const std::vector<torch::Tensor>& tensors, int64_t bins);

class BlockStatisticsRecorder : public StepWatcher {
public:
    static constexpr int64_t kHistogramBins = 30;

    /// `model` is the model the trainer steps (its first device's part of the batch is what is seen).
    /// Each output and each block's gradients also get a histogram of `histogramBins` bins (0: none).
    BlockStatisticsRecorder(GraphModel model, RunBlockNames names, int64_t histogramBins = kHistogramBins);
    ~BlockStatisticsRecorder() override;
    BlockStatisticsRecorder(const BlockStatisticsRecorder&) = delete;
    BlockStatisticsRecorder& operator=(const BlockStatisticsRecorder&) = delete;

    /// Watches the model's next forward pass (call before it); stop() ends the watching.
    void start();
    void stop();
    /// After the batch's backward pass: each block's gradients, and the figures of the whole batch.
    StatisticsRecord finish(int64_t epoch, int64_t batch, int64_t step);

    void afterStep(size_t stepIndex, const std::string& blockId, const std::vector<torch::Tensor>& inputs,
        const std::vector<torch::Tensor>& outputs) override;

private:
    GraphModel model_;
    RunBlockNames names_;
    int64_t histogramBins_;
    bool watching_ = false;
    std::vector<std::string> blockIds_; ///< the blocks seen in the forward pass, in execution order
    /// summaryTensor() of each one's outputs, followed by their histogramTensor() when recorded
    std::vector<torch::Tensor> activations_;
};

} // namespace netdraft::engine
