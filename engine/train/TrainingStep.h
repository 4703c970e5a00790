#pragma once
// One optimizer step of training: forward and loss under autocast, backward with loss scaling (fp16),
// gradient clipping and the optimizer step, on one device or data-parallel over several.

#include "engine/distributed/GradientReducer.h"
#include "engine/model/GraphModel.h"
#include "engine/train/GradScaler.h"
#include "engine/train/LossFunction.h"
#include "engine/train/MixedPrecision.h"

#include <torch/torch.h>

#include <cmath>
#include <optional>
#include <vector>

namespace netdraft::engine {

/// How steps run, from the training settings.
struct StepOptions {
    Precision precision = Precision::Float32;
    bool channelsLast = false; ///< 4-d weights and inputs in NHWC order (faster convolutions)
    double gradientClipNorm = 0.0; ///< 0 = off
    /// Loss scaling; unset: on (with PyTorch's defaults) for fp16 only. Set it to test the scaled path
    /// on the CPU, where fp16 autocast is not available.
    std::optional<GradScalerOptions> lossScaling;
    /// Data-parallel over processes: sums the gradients over the ranks between backward and the
    /// optimizer step (the caller prepares it before each backward pass). Not owned; null = one process.
    GradientReducer* gradients = nullptr;
    /// Skip the optimizer step when a gradient is NaN or inf, so that the weights stay finite and the
    /// caller can stop and diagnose (lastGradientsNonFinite()). With loss scaling such steps are the
    /// scaler's to skip, and this check is left out.
    bool checkGradients = false;
    /// Read the loss in backwardAndStep() with the gradient check, in one transfer, instead of in
    /// forward(): on a GPU every read waits for the queued work, and one wait per step instead of two
    /// keeps it busier. forward() then leaves StepForward::lossValue NaN; lastLossValue() has it after
    /// the step, and a non-finite loss skips the optimizer step (lastLossNonFinite()). Not with
    /// `gradients`: the ranks agree on the loss before backward.
    bool readLossAfterBackward = false;
};

/// What forward() gives back.
struct StepForward {
    torch::Tensor output; ///< the whole batch's output on the first device, fp32, detached
    torch::Tensor loss; ///< the batch mean loss on the first device, fp32, detached
    double lossValue = 0.0; ///< NaN with StepOptions::readLossAfterBackward (see lastLossValue())
};

/// Trains `model` on `devices[0]`. With several devices (data parallel) each step splits the batch into
/// one contiguous part per device, runs a replica of the model on each part (replicas get the model's
/// weights and each module's train/eval mode before every step, so a frozen block runs in eval mode on
/// every device), weights each part's mean loss by its share of the batch, and adds every replica's
/// gradients into the model's, so that the optimizer, which only knows the model, takes the step a
/// single device would take on the whole batch (up to float rounding; batch normalisation in training
/// mode sees per-device statistics, dropout draws per device).
class TrainingStep {
public:
    /// `replicas`: one model per device after the first, built from the same graph; moved to their
    /// devices here. `model` must already be on devices[0].
    TrainingStep(GraphModel model, std::vector<GraphModel> replicas, std::vector<torch::Device> devices,
        LossFunction loss, StepOptions options);

    /// Forward pass and loss of a batch (on any device; it is moved and split as needed). The graph is kept
    /// for backwardAndStep().
    StepForward forward(const torch::Tensor& inputs, const torch::Tensor& targets);
    /// Backward from the last forward(), gradients reduced into the model, clipping, optimizer step
    /// (skipped when fp16 gradients overflowed). Returns whether the optimizer stepped. With
    /// StepOptions::gradients and no forward() since the last step (this rank had no samples), the step
    /// takes the other ranks' gradients.
    bool backwardAndStep(torch::optim::Optimizer& optimizer);
    /// Whether the last backwardAndStep() skipped the step for a NaN or inf gradient (StepOptions::checkGradients).
    bool lastGradientsNonFinite() const { return gradientsNonFinite_; }
    /// With StepOptions::readLossAfterBackward: the last step's loss, and whether it was NaN or inf (the
    /// optimizer step was then skipped).
    double lastLossValue() const { return lossValue_; }
    bool lastLossNonFinite() const { return !std::isfinite(lossValue_); }
    /// Drops the last forward()'s graph without stepping.
    void discard()
    {
        pendingLosses_.clear();
        pendingLoss_ = torch::Tensor();
    }

    const GradScaler& scaler() const { return scaler_; }
    const std::vector<torch::Device>& devices() const { return devices_; }

    /// Puts a module's 4-d parameters and buffers into channels-last order in place.
    static void toChannelsLast(torch::nn::Module& module);

private:
    struct ReplicaResult {
        torch::Tensor output;
        torch::Tensor weightedLoss; ///< with graph
    };
    ReplicaResult forwardOn(size_t replica, torch::Tensor inputs, torch::Tensor targets, double share);
    /// The model's parameters, buffers and per-module train/eval modes onto every replica.
    void copyWeightsToReplicas();
    /// Adds the gradients of replicas 1 to replicasUsed - 1 into the model's.
    void reduceGradients(size_t replicasUsed);

    std::vector<GraphModel> models_; ///< models_[0] is the trained model; the others are its replicas
    std::vector<torch::Device> devices_;
    LossFunction loss_;
    StepOptions options_;
    GradScaler scaler_;
    std::vector<torch::Tensor> pendingLosses_; ///< one per replica used in the last forward()
    torch::Tensor pendingLoss_; ///< the last forward()'s detached loss, read after backward (readLossAfterBackward)
    double lossValue_ = 0.0;
    bool gradientsNonFinite_ = false;
};

} // namespace netdraft::engine
