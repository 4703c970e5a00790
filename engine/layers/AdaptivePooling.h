#pragma once
// Shared base of the adaptive pooling layers (AdaptiveAvgPool1d/2d, AdaptiveMaxPool2d): the output_size
// parameter, shape inference, the LibTorch call, and the Python, TorchScript and ONNX code differ only in
// the kind and the number of spatial dimensions; each layer file gives its type and help.

#include "engine/core/ParamValue.h"
#include "engine/core/Shape.h"
#include "engine/layers/LayerType.h"
#include "engine/layers/OnnxBuilder.h"

namespace netdraft::engine {

/// Maximum or mean of N×C×L (1 dimension) or N×C×H×W (2) input over adaptive windows, to output_size.
class AdaptivePoolingLayer : public LayerType {
public:
    /// The type is also the display name; one parameter, output_size, of `dims` integers.
    AdaptivePoolingLayer(const char* type, const char* help, bool max, int dims);

    void inferShape(InferenceContext& context) const override;
    BuiltBlock build(const BuildContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;

private:
    /// "adaptive_max_pool2d", "adaptive_avg_pool1d": the name in torch and torch.nn.functional.
    std::string function() const;

    bool max_;
    int dims_;
};

/// Writes adaptive average (or, with `max`, maximum) pooling of N×C×<spatial> `input` to `outputSize`
/// per spatial dimension: a global pool, a plain pool when the windows are equal, otherwise
/// PyTorch's overlapping windows [floor(i·in/out), ceil((i+1)·in/out)) axis by axis.
void writeAdaptivePoolingOnnx(OnnxBuilder& onnx, const Shape& input, const IntList& outputSize, bool max);

} // namespace netdraft::engine
