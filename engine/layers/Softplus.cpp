// Softplus: log(1 + e^(beta·x)) / beta, linear above the threshold.

#include "engine/layers/ElementwiseLayer.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class SoftplusLayer : public ElementwiseLayer {
public:
    SoftplusLayer()
        : ElementwiseLayer({ "Softplus", "Softplus", category::kActivation,
            "Softplus: log(1 + e^(beta·x)) / beta element-wise, a smooth ReLU whose output is always "
            "positive (e.g. for a predicted standard deviation). Where beta·x exceeds threshold the "
            "output is x itself, for numerical stability. The shape is unchanged.",
            { ParamSpec::real("beta", 1.0).min(1e-6).help("Sharpness: larger values bring the curve closer to ReLU."),
                ParamSpec::real("threshold", 20.0)
                    .isAdvanced()
                    .help("Above this value of beta·x the output is x (the curve is linear there).") } })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader& params) const override
    {
        const double beta = params.real("beta"), threshold = params.real("threshold");
        return { [beta, threshold](const torch::Tensor& x) { return torch::softplus(x, beta, threshold); },
            "nn.functional.softplus($x, beta=" + python::real(beta) + ", threshold=" + python::real(threshold) + ")",
            "torch.softplus($x, " + python::real(beta) + ", " + python::real(threshold) + ")",
            [beta, threshold](OnnxBuilder& onnx) { writeOnnx(onnx, beta, threshold); } };
    }

private:
    /// ONNX's Softplus has neither beta nor threshold: Where(beta·x > threshold, x, Softplus(beta·x) / beta).
    static void writeOnnx(OnnxBuilder& onnx, double beta, double threshold)
    {
        const std::string& x = onnx.inputs().at(0);
        const std::string scaled = onnx.apply("Mul", { x, onnx.scalar("beta", static_cast<float>(beta)) }, "scaled");
        const std::string smooth = onnx.apply("Div",
            { onnx.apply("Softplus", { scaled }, "softplus"), onnx.scalar("beta", static_cast<float>(beta)) },
            "smooth");
        const std::string linear
            = onnx.apply("Greater", { scaled, onnx.scalar("threshold", static_cast<float>(threshold)) }, "linear");
        onnx.node("Where", { linear, x, smooth }, { onnx.output() });
    }
};

NETDRAFT_REGISTER_LAYER(SoftplusLayer);

} // namespace
} // namespace netdraft::engine
