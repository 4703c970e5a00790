// Tanh: hyperbolic tangent, element-wise.

#include "engine/layers/ElementwiseLayer.h"

namespace netdraft::engine {
namespace {

class TanhLayer : public ElementwiseLayer {
public:
    TanhLayer()
        : ElementwiseLayer({ "Tanh", "Tanh", category::kActivation,
            "Hyperbolic tangent element-wise: squashes values into (-1, 1). The shape is unchanged.", {} })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader&) const override
    {
        return { [](const torch::Tensor& x) { return torch::tanh(x); }, "torch.tanh($x)", "torch.tanh($x)",
            onnxSingleNode("Tanh") };
    }
};

NETDRAFT_REGISTER_LAYER(TanhLayer);

} // namespace
} // namespace netdraft::engine
