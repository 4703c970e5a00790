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

class BlockStatisticsRecorder : public StepWatcher {
public:
    /// `model` is the model the trainer steps (its first device's part of the batch is what is seen).
    BlockStatisticsRecorder(GraphModel model, RunBlockNames names);
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
    bool watching_ = false;
    std::vector<std::string> blockIds_; ///< the blocks seen in the forward pass, in execution order
    std::vector<torch::Tensor> activations_; ///< summaryTensor() of each one's outputs
};

} // namespace netdraft::engine
