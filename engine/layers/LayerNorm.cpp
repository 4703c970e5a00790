// LayerNorm: normalises each sample over its last dimensions.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

/// normalized_shape: auto (the last dimension) unless pinned to the trailing sizes.
ParamSpec normalizedShapeParam()
{
    ParamSpec spec = ParamSpec::intList("normalized_shape", {});
    spec.defaultValue = Auto {};
    spec.inferred = true;
    return spec.min(1).onBlock().help("Trailing sizes normalised over; auto takes the last dimension. Pin e.g. "
                                      "C×H×W to normalise whole feature maps.");
}

class LayerNormLayer : public LayerType {
public:
    LayerNormLayer()
        : LayerType({ "LayerNorm", "LayerNorm", category::kNormalization,
            "Normalises each sample to zero mean and unit variance over its last dimensions "
            "(normalized_shape), then scales and shifts element-wise; independent of the batch, the "
            "usual normalisation of transformers and recurrent networks. Shape unchanged.",
            { normalizedShapeParam(),
                ParamSpec::real("eps", 1e-5).min(0).isAdvanced().help("Added to the variance for stability."),
                ParamSpec::boolean("elementwise_affine", true)
                    .isAdvanced()
                    .help("Learn a scale and shift per normalised element.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& input = context.input();
        if (input.rank() < 2) {
            context.error("LayerNorm expects at least N×features, got " + input.toString());
            return;
        }
        const size_t available = static_cast<size_t>(input.rank() - 1);
        IntList trailing { input.back() };
        if (!context.params().isAuto("normalized_shape")) {
            const IntList pinned = context.params().list("normalized_shape");
            if (pinned.empty() || pinned.size() > available) {
                context.error("normalized_shape " + formatParamValue(pinned) + " must name 1 to "
                    + std::to_string(available) + " trailing sizes of the input " + input.toString());
                return;
            }
            trailing.assign(input.dims().end() - static_cast<int64_t>(pinned.size()), input.dims().end());
            if (pinned != trailing)
                context.error("LayerNorm normalized_shape " + formatParamValue(pinned)
                    + " does not match the last dimensions " + formatFactors(trailing) + " of the input "
                    + input.toString() + "; set it to " + formatFactors(trailing) + " or to auto");
        }
        context.setInferred("normalized_shape", trailing);
        context.setOutput(input);
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto& params = context.params;
        torch::nn::LayerNorm norm(torch::nn::LayerNormOptions(params.list("normalized_shape"))
                                      .eps(params.real("eps"))
                                      .elementwise_affine(params.boolean("elementwise_affine")));
        return { norm.ptr(), [norm](const std::vector<torch::Tensor>& in) mutable { return norm->forward(in[0]); } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        return PythonCode { "nn.LayerNorm(" + python::tuple(params.list("normalized_shape"))
                + ", eps=" + python::real(params.real("eps"))
                + ", elementwise_affine=" + python::boolean(params.boolean("elementwise_affine")) + ")",
            "self." + attribute + "(" + python::firstInput(inputs) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        const auto& params = context.params;
        return "return torch.layer_norm(x0, " + python::list(params.list("normalized_shape")) + ", "
            + (params.boolean("elementwise_affine") ? "self.weight, self.bias, " : "None, None, ")
            + python::real(params.real("eps")) + ", True)";
    }
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const auto& params = context.params;
        const IntList shape = params.list("normalized_shape");
        int64_t count = 1;
        for (int64_t size : shape)
            count *= size;
        const bool affine = params.boolean("elementwise_affine");
        const std::string scale = affine
            ? onnx.parameter("weight")
            : onnx.constant("scale", OnnxTensorValues::ofFloats(shape, std::vector<float>(count, 1.0f)));
        const std::string bias = affine
            ? onnx.parameter("bias")
            : onnx.constant("bias", OnnxTensorValues::ofFloats(shape, std::vector<float>(count, 0.0f)));
        onnx.node("LayerNormalization", { onnx.inputs().at(0), scale, bias }, { onnx.output() },
            { { "axis", -static_cast<int64_t>(shape.size()) }, { "epsilon", params.real("eps") } });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(LayerNormLayer);

} // namespace
} // namespace netdraft::engine
