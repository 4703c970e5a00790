// Identity: passes the input through unchanged.

#include "engine/layers/ElementwiseLayer.h"

namespace netdraft::engine {
namespace {

class IdentityLayer : public ElementwiseLayer {
public:
    IdentityLayer()
        : ElementwiseLayer({ "Identity", "Identity", category::kReshape,
            "Passes its input through unchanged. Useful as a placeholder or to name a point in the graph.", {} })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader&) const override
    {
        return { [](const torch::Tensor& x) { return x; }, "$x", "$x",
            [](OnnxBuilder& onnx) { onnx.passThrough(onnx.inputs().at(0)); } };
    }
};

NETDRAFT_REGISTER_LAYER(IdentityLayer);

} // namespace
} // namespace netdraft::engine
