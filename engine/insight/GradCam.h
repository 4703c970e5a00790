#pragma once
// Grad-CAM (Selvaraju et al., 2017) for convolutional classifiers: where in the input a block's
// feature maps saw the evidence for a class. LibTorch-free (the app's Grad-CAM window holds these).

#include "engine/insight/BlockViewer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One sample's class-activation map, upsampled to the input's height and width.
struct GradCamMap {
    ViewedSample sample; ///< the input, its true label and the prediction
    int64_t classIndex = -1; ///< the class explained (the predicted one unless chosen)
    std::string className;
    std::string blockId; ///< the block whose feature maps were weighed
    std::string blockLabel;
    std::vector<int64_t> blockShape; ///< its output, C×h×w
    int64_t height = 0; ///< the input's
    int64_t width = 0;
    /// height×width, row-major: ReLU(Σ_k w_k A_k) bilinearly upsampled, divided by its maximum (all
    /// zero when nothing speaks for the class).
    std::vector<float> heat;
    double maximum = 0.0; ///< the map's maximum before that division (at the block's resolution)
};

/// Grad-CAM of test sample `sampleIndex` for class `classIndex` (default: the predicted one) at block
/// `block` (default: gradCamBlock()): w_k = mean over h, w of d score_c / d A_k, CAM = ReLU(Σ_k w_k A_k),
/// score_c the network's output for class c before any softmax. Throws Error for a network that does
/// not classify images, a block without C×h×w output, an unknown class or sample.
GradCamMap gradCam(const BlockViewer& viewer, int64_t sampleIndex, std::optional<int64_t> classIndex = std::nullopt,
    const std::string& block = std::string());

/// The block Grad-CAM weighs by default: the last one before the Output whose output is C×h×w with more
/// than one position (the last convolution-like block). Throws Error when there is none.
std::string gradCamBlock(const BlockViewer& viewer);

} // namespace netdraft::engine
