#pragma once
// Shared base of MaxPool1d/2d and AvgPool1d/2d: the sliding-window parameters, shape inference, the
// LibTorch call and the Python, TorchScript and ONNX code differ only in the kind and the number of
// spatial dimensions; each layer file gives its type and help.

#include "engine/layers/LayerType.h"

namespace netdraft::engine {

/// Maximum or mean over kernel_size windows of N×C×L (1 dimension) or N×C×H×W (2) input.
class PoolingLayer : public LayerType {
public:
    enum class Kind { Max, Average };

    /// The type is also the display name; the parameters follow from `kind` and `dims`: kernel_size,
    /// stride, padding, then dilation and ceil_mode (Max) or ceil_mode and count_include_pad (Average).
    PoolingLayer(const char* type, const char* help, Kind kind, int dims);

    void inferShape(InferenceContext& context) const override;
    BuiltBlock build(const BuildContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;

private:
    /// "max_pool2d", "avg_pool1d": the name in torch and torch.nn.functional.
    std::string function() const;

    Kind kind_;
    int dims_;
};

} // namespace netdraft::engine
