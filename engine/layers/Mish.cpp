// Mish: x · tanh(softplus(x)).

#include "engine/layers/ElementwiseLayer.h"

namespace netdraft::engine {
namespace {

class MishLayer : public ElementwiseLayer {
public:
    MishLayer()
        : ElementwiseLayer({ "Mish", "Mish", category::kActivation,
            "Mish: x · tanh(softplus(x)) element-wise, a smooth, non-monotonic ReLU similar to SiLU "
            "(used in YOLOv4). The shape is unchanged.",
            {} })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader&) const override
    {
        return { [](const torch::Tensor& x) { return torch::mish(x); }, "nn.functional.mish($x)", "torch.mish($x)",
            [](OnnxBuilder& onnx) { // opset 17 has no Mish (it came in 18)
                const std::string& x = onnx.inputs().at(0);
                const std::string softplus = onnx.apply("Softplus", { x }, "softplus");
                onnx.node("Mul", { x, onnx.apply("Tanh", { softplus }, "tanh") }, { onnx.output() });
            } };
    }
};

NETDRAFT_REGISTER_LAYER(MishLayer);

} // namespace
} // namespace netdraft::engine
