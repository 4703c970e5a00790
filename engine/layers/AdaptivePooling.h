#pragma once
// ONNX export shared by the adaptive pooling layers (AdaptiveAvgPool1d/2d, AdaptiveMaxPool2d).

#include "engine/core/ParamValue.h"
#include "engine/core/Shape.h"
#include "engine/layers/OnnxBuilder.h"

namespace netdraft::engine {

/// Writes adaptive average (or, with `max`, maximum) pooling of N×C×<spatial> `input` to `outputSize`
/// per spatial dimension: a global pool, a plain pool when the windows are equal, otherwise
/// PyTorch's overlapping windows [floor(i·in/out), ceil((i+1)·in/out)) axis by axis.
void writeAdaptivePoolingOnnx(OnnxBuilder& onnx, const Shape& input, const IntList& outputSize, bool max);

} // namespace netdraft::engine
