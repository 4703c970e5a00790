#pragma once
// The trainer's side of data-parallel training over processes: what the ranks agree on each step,
// the epoch's figures summed over the ranks, and rank 0's weights at the start.

#include "engine/distributed/DistributedContext.h"
#include "engine/train/Metrics.h"

namespace netdraft::engine {

/// What every rank knows after a step's forward pass.
struct StepAgreement {
    double loss = 0.0; ///< the global batch's mean loss
    int64_t samples = 0; ///< the global batch's samples
    bool stop = false; ///< some rank was asked to stop
    double share = 1.0; ///< this rank's samples over `samples`: the weight of its gradients
};

/// One small all-reduce of (loss × samples, samples, stop) per step.
StepAgreement agreeOnStep(DistributedContext& context, double localLoss, int64_t localSamples, bool stopRequested);

/// An epoch's training figures over all ranks' samples (loss, accuracy, top-5, MAE, RMSE).
Metrics reduceMetrics(DistributedContext& context, const Metrics& local);

/// Rank 0's parameters and buffers on every rank.
void broadcastModel(DistributedContext& context, torch::nn::Module& model);

} // namespace netdraft::engine
