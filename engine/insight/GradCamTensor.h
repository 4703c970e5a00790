#pragma once
// Grad-CAM on tensors: the computation behind engine::gradCam(), LibTorch-level for it and the tests.

#include "engine/model/GraphModel.h"

#include <torch/torch.h>

#include <optional>
#include <string>

namespace netdraft::engine {

struct GradCamTensors {
    torch::Tensor scores; ///< the network's output for the sample, 1×classes
    int64_t classIndex = -1;
    torch::Tensor activations; ///< A, the block's output, C×h×w
    torch::Tensor weights; ///< w_k, C
    torch::Tensor cam; ///< ReLU(Σ_k w_k A_k), h×w
    torch::Tensor upsampled; ///< cam bilinearly resized to height×width (align_corners false)
};

/// Grad-CAM of `input` (a batch of one) at block `blockId` for `classIndex` (default: the largest
/// score), upsampled to `height`×`width`. Runs with autograd on whatever the model's mode is.
GradCamTensors gradCamTensors(GraphModelImpl& model, const torch::Tensor& input, const std::string& blockId,
    std::optional<int64_t> classIndex, int64_t height, int64_t width);

} // namespace netdraft::engine
