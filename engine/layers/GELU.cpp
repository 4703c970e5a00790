// GELU: x · Φ(x), the activation of transformers.

#include "engine/layers/ElementwiseLayer.h"
#include "engine/layers/PythonFormat.h"

#include <cmath>

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
            "torch.gelu($x, approximate=" + python::quoted(approximate) + ")",
            [approximate](OnnxBuilder& onnx) { writeOnnx(onnx, approximate == "tanh"); } };
    }

private:
    /// Opset 17 has no Gelu: 0.5·x·(1 + erf(x/√2)), or with tanh(√(2/π)·(x + 0.044715·x³)).
    static void writeOnnx(OnnxBuilder& onnx, bool tanh)
    {
        const std::string& x = onnx.inputs().at(0);
        std::string inner;
        if (tanh) {
            const std::string cube = onnx.apply("Mul", { x, onnx.apply("Mul", { x, x }, "square") }, "cube");
            const std::string sum = onnx.apply(
                "Add", { x, onnx.apply("Mul", { cube, onnx.scalar("coefficient", 0.044715f) }, "scaled_cube") }, "sum");
            const float root = static_cast<float>(std::sqrt(2.0 / 3.14159265358979323846));
            inner = onnx.apply(
                "Tanh", { onnx.apply("Mul", { sum, onnx.scalar("root_two_over_pi", root) }, "argument") }, "tanh");
        } else {
            const float inverseRoot = static_cast<float>(1.0 / std::sqrt(2.0));
            inner = onnx.apply(
                "Erf", { onnx.apply("Mul", { x, onnx.scalar("inverse_root_two", inverseRoot) }, "scaled") }, "erf");
        }
        const std::string onePlus = onnx.apply("Add", { inner, onnx.scalar("one", 1.0f) }, "one_plus");
        const std::string half = onnx.apply("Mul", { x, onnx.scalar("half", 0.5f) }, "half");
        onnx.node("Mul", { half, onePlus }, { onnx.output() });
    }
};

NETDRAFT_REGISTER_LAYER(GELULayer);

} // namespace
} // namespace netdraft::engine
