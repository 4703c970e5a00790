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

/// Shape inference of the pooling layers over `dims` spatial dimensions (1: N×C×L, 2: N×C×H×W); the
/// parameters and checks as inferPooling2d's.
void inferPooling(InferenceContext& context, int dims, bool hasDilation);

/// Shape inference of MaxPool2d and AvgPool2d: N×C×H×W in, N×C×H'×W' out, from kernel_size, stride,
/// padding (at most half the kernel, as PyTorch requires), ceil_mode and, when present, dilation.
void inferPooling2d(InferenceContext& context, bool hasDilation);

/// Reads kernel_size, stride, padding (with 'same'/'valid'), dilation from a conv-like layer.
WindowSettings readWindowSettings(const ParamReader& params, bool hasDilation = true);

} // namespace netdraft::engine
