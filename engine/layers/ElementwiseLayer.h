#pragma once
// Shared base of the parameterless, shape-preserving layers (activations, Identity): each layer file
// only describes itself and says what it computes.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"

#include <functional>
#include <string>

namespace netdraft::engine {

/// What an element-wise layer computes for given parameters, in LibTorch and as code. In the code
/// templates "$x" stands for the input expression.
struct ElementwiseFunction {
    std::function<torch::Tensor(const torch::Tensor&)> apply;
    std::string python; ///< "nn.functional.leaky_relu($x, negative_slope=0.01)"
    std::string torchScript; ///< "torch.leaky_relu($x, 0.01)"
    /// Writes the ONNX nodes from onnx.inputs()[0] to onnx.output(); empty: no ONNX export.
    std::function<void(OnnxBuilder& onnx)> onnx;
};

/// An `onnx` function of one node of `opType` with `attributes`.
std::function<void(OnnxBuilder& onnx)> onnxSingleNode(std::string opType, std::vector<OnnxAttribute> attributes = {});

/// Output shape = input shape, no module; the subclass supplies the function.
class ElementwiseLayer : public LayerType {
public:
    using LayerType::LayerType;

    void inferShape(InferenceContext& context) const override;
    BuiltBlock build(const BuildContext& context) const override;
    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override;
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override;
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override;

protected:
    virtual ElementwiseFunction function(const ParamReader& params) const = 0;
    /// Extra checks of the input against the parameters; the default accepts every shape.
    virtual void checkInput(InferenceContext& context) const { (void)context; }
};

/// Replaces every "$x" in `code` by `input`.
std::string substituteInput(const std::string& code, const std::string& input);

} // namespace netdraft::engine
