// Scale: multiplies by a constant and optionally adds one, x * scale + bias.

#include "engine/layers/ElementwiseLayer.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class ScaleLayer : public ElementwiseLayer {
public:
    ScaleLayer()
        : ElementwiseLayer({ "Scale", "Scale", category::kArithmetic,
            "Multiplies every value by a constant and adds another: x · scale + bias, e.g. 1/√d before an "
            "attention softmax, or mapping [0, 1] to [-1, 1] (scale 2, bias -1). Nothing is learned; the "
            "shape is unchanged.",
            { ParamSpec::real("scale", 1.0).onBlock().help("Factor every value is multiplied by."),
                ParamSpec::real("bias", 0.0).onBlock().help("Constant added after the multiplication.") } })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader& params) const override
    {
        const double scale = params.real("scale");
        const double bias = params.real("bias");
        const std::string code = "$x * " + python::real(scale) + (bias == 0 ? "" : " + " + python::real(bias));
        return { [scale, bias](const torch::Tensor& x) { return bias == 0 ? x * scale : x * scale + bias; },
            code, code, [scale, bias](OnnxBuilder& onnx) {
                if (bias == 0) {
                    onnx.node("Mul", { onnx.inputs().at(0), onnx.scalar("scale", float(scale)) }, { onnx.output() });
                    return;
                }
                const std::string scaled
                    = onnx.apply("Mul", { onnx.inputs().at(0), onnx.scalar("scale", float(scale)) }, "scaled");
                onnx.node("Add", { scaled, onnx.scalar("bias", float(bias)) }, { onnx.output() });
            } };
    }

public:
    // The input is an operand of "*": an expression such as "a + b" needs parentheses.
    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {},
            substituteInput(function(context.params).python, python::operand(python::firstInput(inputs))) };
    }
};

NETDRAFT_REGISTER_LAYER(ScaleLayer);

} // namespace
} // namespace netdraft::engine
