// GELU: x · Φ(x), the activation of transformers.

#include "engine/layers/ElementwiseLayer.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class GELULayer : public ElementwiseLayer {
public:
    GELULayer()
        : ElementwiseLayer({ "GELU", "GELU", category::kActivation,
            "Gaussian error linear unit: x · Φ(x) where Φ is the standard normal CDF; the "
            "usual activation of transformers. The shape is unchanged.",
            { ParamSpec::choice("approximate", "none", { "none", "tanh" })
                    .isAdvanced()
                    .help("'none' computes Φ exactly; 'tanh' uses the faster tanh approximation.") } })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader& params) const override
    {
        const std::string approximate = params.word("approximate");
        return { [approximate](const torch::Tensor& x) { return torch::gelu(x, approximate); },
            "nn.functional.gelu($x, approximate=" + python::quoted(approximate) + ")",
            "torch.gelu($x, approximate=" + python::quoted(approximate) + ")" };
    }
};

NETDRAFT_REGISTER_LAYER(GELULayer);

} // namespace
} // namespace netdraft::engine
