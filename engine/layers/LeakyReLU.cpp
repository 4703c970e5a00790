// LeakyReLU: x for x >= 0, negative_slope · x otherwise.

#include "engine/layers/ElementwiseLayer.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class LeakyReLULayer : public ElementwiseLayer {
public:
    LeakyReLULayer()
        : ElementwiseLayer({ "LeakyReLU", "LeakyReLU", category::kActivation,
            "Leaky rectified linear unit: x for positive values and negative_slope · x for "
            "negative ones, so that negative inputs still pass a small gradient. The shape "
            "is unchanged.",
            { ParamSpec::real("negative_slope", 0.01).min(0).onBlock().help("Slope for negative inputs.") } })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader& params) const override
    {
        const double slope = params.real("negative_slope");
        return { [slope](const torch::Tensor& x) { return torch::leaky_relu(x, slope); },
            "nn.functional.leaky_relu($x, negative_slope=" + python::real(slope) + ")",
            "torch.leaky_relu($x, " + python::real(slope) + ")", onnxSingleNode("LeakyRelu", { { "alpha", slope } }) };
    }
};

NETDRAFT_REGISTER_LAYER(LeakyReLULayer);

} // namespace
} // namespace netdraft::engine
