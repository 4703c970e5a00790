// Hardsigmoid: ReLU6(x + 3) / 6, a piecewise-linear sigmoid.

#include "engine/layers/ElementwiseLayer.h"

namespace netdraft::engine {
namespace {

class HardsigmoidLayer : public ElementwiseLayer {
public:
    HardsigmoidLayer()
        : ElementwiseLayer({ "Hardsigmoid", "Hardsigmoid", category::kActivation,
            "Hard sigmoid: ReLU6(x + 3) / 6 element-wise: 0 below -3, 1 above 3 and a straight line "
            "between; a cheap sigmoid for gates (MobileNetV3's squeeze-and-excitation). The shape is "
            "unchanged.",
            {} })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader&) const override
    {
        // ONNX's HardSigmoid is max(0, min(1, alpha·x + beta)); PyTorch's has alpha 1/6, beta 1/2.
        return { [](const torch::Tensor& x) { return torch::hardsigmoid(x); }, "nn.functional.hardsigmoid($x)",
            "torch.hardsigmoid($x)", onnxSingleNode("HardSigmoid", { { "alpha", 1.0 / 6.0 }, { "beta", 0.5 } }) };
    }
};

NETDRAFT_REGISTER_LAYER(HardsigmoidLayer);

} // namespace
} // namespace netdraft::engine
