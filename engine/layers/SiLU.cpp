// SiLU: x · sigmoid(x), element-wise.

#include "engine/layers/ElementwiseLayer.h"

namespace netdraft::engine {
namespace {

class SiLULayer : public ElementwiseLayer {
public:
    SiLULayer()
        : ElementwiseLayer({ "SiLU", "SiLU", category::kActivation,
            "Sigmoid linear unit (swish): x · sigmoid(x) element-wise, a smooth ReLU used in modern CNNs. The shape is "
            "unchanged.",
            {} })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader&) const override
    {
        return { [](const torch::Tensor& x) { return torch::silu(x); }, "nn.functional.silu($x)", "torch.silu($x)",
            [](OnnxBuilder& onnx) { // x · sigmoid(x): opset 17 has no SiLU
                const std::string& x = onnx.inputs().at(0);
                onnx.node("Mul", { x, onnx.apply("Sigmoid", { x }, "sigmoid") }, { onnx.output() });
            } };
    }
};

NETDRAFT_REGISTER_LAYER(SiLULayer);

} // namespace
} // namespace netdraft::engine
