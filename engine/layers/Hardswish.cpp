// Hardswish: x · ReLU6(x + 3) / 6, MobileNetV3's cheap swish.

#include "engine/layers/ElementwiseLayer.h"

namespace netdraft::engine {
namespace {

class HardswishLayer : public ElementwiseLayer {
public:
    HardswishLayer()
        : ElementwiseLayer({ "Hardswish", "Hardswish", category::kActivation,
            "Hard swish: x · ReLU6(x + 3) / 6 element-wise, a piecewise approximation of SiLU "
            "(swish) that needs no exponential; used in MobileNetV3. The shape is unchanged.",
            {} })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader&) const override
    {
        return { [](const torch::Tensor& x) { return torch::hardswish(x); }, "nn.functional.hardswish($x)",
            "torch.hardswish($x)", onnxSingleNode("HardSwish") };
    }
};

NETDRAFT_REGISTER_LAYER(HardswishLayer);

} // namespace
} // namespace netdraft::engine
