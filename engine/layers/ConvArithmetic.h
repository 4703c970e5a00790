#pragma once
// Output sizes of sliding-window layers (convolution, pooling), shared by their layer files.

#include "engine/core/ParamValue.h"
#include "engine/layers/InferenceContext.h"

#include <string>

namespace netdraft::engine {

/// Sliding-window settings per spatial dimension.
struct WindowSettings {
    IntList kernel;
    IntList stride;
    IntList padding; ///< per side; ignored when `same`
    IntList dilation;
    bool same = false; ///< padding 'same': output size equals input size (stride 1 only)
    bool ceilMode = false;
};

/// Computes the spatial output sizes for `spatialInput`, recording an error in `context` for each
/// dimension where the (dilated) kernel does not fit the padded input. Returns an empty list on error.
IntList windowOutputSizes(InferenceContext& context, const IntList& spatialInput, const WindowSettings& window);

/// Shape inference of the pooling layers (PoolingLayer) over `dims` spatial dimensions: N×C×L (1) or
/// N×C×H×W (2) in, N×C×L' or N×C×H'×W' out, from kernel_size, stride, padding (at most half the
/// kernel, as PyTorch requires), ceil_mode and, when present, dilation.
void inferPooling(InferenceContext& context, int dims, bool hasDilation);

/// Reads kernel_size, stride, padding (with 'same'/'valid'), dilation from a conv-like layer.
WindowSettings readWindowSettings(const ParamReader& params, bool hasDilation = true);

} // namespace netdraft::engine
