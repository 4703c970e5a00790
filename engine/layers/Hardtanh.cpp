// Hardtanh: x clamped to [min_val, max_val].

#include "engine/layers/ElementwiseLayer.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class HardtanhLayer : public ElementwiseLayer {
public:
    HardtanhLayer()
        : ElementwiseLayer({ "Hardtanh", "Hardtanh", category::kActivation,
            "Clamps every value to the range [min_val, max_val]: a piecewise-linear tanh that is "
            "cheap to compute. With 0 and 6 it is ReLU6. The shape is unchanged.",
            { ParamSpec::real("min_val", -1.0).onBlock().help("Lowest output value; smaller inputs become it."),
                ParamSpec::real("max_val", 1.0)
                    .onBlock()
                    .help("Highest output value; larger inputs become it. Must be greater than min_val.") } })
    {
    }

protected:
    void checkInput(InferenceContext& context) const override
    {
        const double low = context.params().real("min_val"), high = context.params().real("max_val");
        if (!(high > low))
            context.error("max_val " + python::real(high) + " must be greater than min_val " + python::real(low));
    }

    ElementwiseFunction function(const ParamReader& params) const override
    {
        const double low = params.real("min_val"), high = params.real("max_val");
        return { [low, high](const torch::Tensor& x) { return torch::hardtanh(x, low, high); },
            "nn.functional.hardtanh($x, min_val=" + python::real(low) + ", max_val=" + python::real(high) + ")",
            "torch.hardtanh($x, " + python::real(low) + ", " + python::real(high) + ")",
            [low, high](OnnxBuilder& onnx) {
                onnx.node("Clip",
                    { onnx.inputs().at(0), onnx.scalar("min", static_cast<float>(low)),
                        onnx.scalar("max", static_cast<float>(high)) },
                    { onnx.output() });
            } };
    }
};

NETDRAFT_REGISTER_LAYER(HardtanhLayer);

} // namespace
} // namespace netdraft::engine
