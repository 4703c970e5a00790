// ELU: x for x > 0, alpha · (e^x - 1) otherwise.

#include "engine/layers/ElementwiseLayer.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class ELULayer : public ElementwiseLayer {
public:
    ELULayer()
        : ElementwiseLayer({ "ELU", "ELU", category::kActivation,
            "Exponential linear unit: x for positive values and alpha · (e^x - 1) for "
            "negative ones, a smooth ReLU whose outputs can be negative. The shape is "
            "unchanged.",
            { ParamSpec::real("alpha", 1.0)
                    .min(0)
                    .onBlock()
                    .help("Value the output approaches for very negative inputs (as -alpha).") } })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader& params) const override
    {
        const double alpha = params.real("alpha");
        return { [alpha](const torch::Tensor& x) { return torch::elu(x, alpha); },
            "nn.functional.elu($x, alpha=" + python::real(alpha) + ")",
            "torch.elu($x, " + python::real(alpha) + ", 1.0, 1.0)", onnxSingleNode("Elu", { { "alpha", alpha } }) };
    }
};

NETDRAFT_REGISTER_LAYER(ELULayer);

} // namespace
} // namespace netdraft::engine
