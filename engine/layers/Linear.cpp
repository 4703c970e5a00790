// Linear: fully connected layer over the last dimension.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class LinearLayer : public LayerType {
public:
    LinearLayer()
        : LayerType({ "Linear", "Linear", category::kLinear,
            "Fully connected layer: y = xWᵀ + b over the last dimension. Input N×…×in_features, "
            "output N×…×out_features.",
            { ParamSpec::inferredInteger("in_features")
                    .help("Input features; inferred from the incoming shape unless pinned."),
                ParamSpec::integer("out_features", 10).min(1).onBlock().help("Output features."),
                ParamSpec::boolean("bias", true).isAdvanced().help("Learn an additive bias.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& input = context.input();
        if (input.rank() < 2) {
            context.error("Linear expects at least N×features, got " + input.toString());
            return;
        }
        const int64_t actual = input.back();
        std::string hint;
        if (!input.flattenedFrom().empty()) {
            const std::string factors = formatFactors(input.flattenedFrom());
            hint = "the flatten gives " + std::to_string(actual) + " = " + factors
                + " features: add pooling before the Flatten to shrink the feature map, or set in_features to "
                + std::to_string(actual);
        } else {
            hint = "set in_features to " + std::to_string(actual) + " or to auto";
        }
        if (!context.params().isAuto("in_features") && context.params().integer("in_features") != actual) {
            const int64_t pinned = context.params().integer("in_features");
            std::string message
                = "Linear expects " + std::to_string(pinned) + " input features but receives " + std::to_string(actual);
            if (!input.flattenedFrom().empty())
                message += " (" + formatFactors(input.flattenedFrom()) + ")";
            context.error(message + "; " + hint);
        }
        context.setInferred("in_features", actual);
        std::vector<int64_t> dims = input.dims();
        dims.back() = context.params().integer("out_features");
        context.setOutput(Shape(dims));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto& params = context.params;
        torch::nn::Linear linear(torch::nn::LinearOptions(params.integer("in_features"), params.integer("out_features"))
                                     .bias(params.boolean("bias")));
        return { linear.ptr(),
            [linear](const std::vector<torch::Tensor>& in) mutable { return linear->forward(in[0]); } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        return PythonCode { "nn.Linear(" + std::to_string(params.integer("in_features")) + ", "
                + std::to_string(params.integer("out_features")) + ", bias=" + python::boolean(params.boolean("bias"))
                + ")",
            "self." + attribute + "(" + python::firstInput(inputs) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return std::string("return torch.linear(x0, self.weight, ")
            + (context.params.boolean("bias") ? "self.bias" : "None") + ")";
    }
    /// One product per output value and input feature: out elements × in_features.
    int64_t multiplyAccumulates(const BuildContext& context) const override
    {
        return context.output.sampleElements() * context.params.integer("in_features");
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const bool bias = context.params.boolean("bias");
        const std::string& x = onnx.inputs().at(0);
        if (context.output.rank() == 2) {
            std::vector<std::string> inputs { x, onnx.parameter("weight") };
            if (bias)
                inputs.push_back(onnx.parameter("bias"));
            onnx.node("Gemm", inputs, { onnx.output() }, { { "transB", int64_t(1) } });
            return true;
        }
        // Gemm takes matrices only: x · Wᵀ (+ b) over the last dimension.
        const int64_t out = context.params.integer("out_features");
        const std::string weightT = onnx.parameterRows("weight", 0, out, true);
        if (!bias) {
            onnx.node("MatMul", { x, weightT }, { onnx.output() });
            return true;
        }
        onnx.node("Add", { onnx.apply("MatMul", { x, weightT }, "matmul"), onnx.parameter("bias") }, { onnx.output() });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(LinearLayer);

} // namespace
} // namespace netdraft::engine
