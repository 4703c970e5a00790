// ReLU: max(0, x), element-wise.

#include "engine/layers/ElementwiseLayer.h"

namespace netdraft::engine {
namespace {

class ReLULayer : public ElementwiseLayer {
public:
    ReLULayer()
        : ElementwiseLayer({ "ReLU", "ReLU", category::kActivation,
            "Rectified linear unit: max(0, x) element-wise. The shape is unchanged.", {} })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader&) const override
    {
        return { [](const torch::Tensor& x) { return torch::relu(x); }, "torch.relu($x)", "torch.relu($x)",
            onnxSingleNode("Relu") };
    }
};

NETDRAFT_REGISTER_LAYER(ReLULayer);

} // namespace
} // namespace netdraft::engine
