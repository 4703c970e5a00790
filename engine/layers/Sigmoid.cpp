// Sigmoid: 1 / (1 + e^-x), element-wise.

#include "engine/layers/ElementwiseLayer.h"

namespace netdraft::engine {
namespace {

class SigmoidLayer : public ElementwiseLayer {
public:
    SigmoidLayer()
        : ElementwiseLayer({ "Sigmoid", "Sigmoid", category::kActivation,
            "Logistic sigmoid 1 / (1 + e^-x) element-wise: squashes values into (0, 1), e.g. for binary outputs or "
            "image reconstructions. The shape is unchanged.",
            {} })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader&) const override
    {
        return { [](const torch::Tensor& x) { return torch::sigmoid(x); }, "torch.sigmoid($x)", "torch.sigmoid($x)",
            onnxSingleNode("Sigmoid") };
    }
};

NETDRAFT_REGISTER_LAYER(SigmoidLayer);

} // namespace
} // namespace netdraft::engine
