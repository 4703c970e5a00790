// PatchEmbedding: cuts an image into patches and projects each to a vector, as the Vision Transformer does.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class PatchEmbeddingLayer : public LayerType {
public:
    PatchEmbeddingLayer()
        : LayerType({ "PatchEmbedding", "Patch Embedding", category::kEmbedding,
            "Turns an image into a sequence for attention layers: cuts it into patch_size×patch_size squares "
            "and maps each square to embed_dim learned features (a Conv2d with kernel = stride = patch_size), "
            "then lists the patches row by row. Input N×C×H×W with H and W divisible by patch_size, output "
            "N×(H/p·W/p)×embed_dim.",
            { ParamSpec::inferredInteger("in_channels")
                    .help("Image channels; inferred from the incoming shape unless pinned."),
                ParamSpec::integer("embed_dim", 64).min(1).onBlock().help("Features of each patch vector."),
                ParamSpec::integer("patch_size", 4)
                    .min(1)
                    .onBlock()
                    .help("Side of the square patches in pixels; must divide the image height and width."),
                ParamSpec::boolean("bias", true).isAdvanced().help("Learn an additive bias.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 4, "N×C×H×W"))
            return;
        const Shape& input = context.input();
        context.inferFromInput("in_channels", input[1], "input channels",
            "set in_channels to " + std::to_string(input[1]) + " or to auto");
        const int64_t patch = context.params().integer("patch_size");
        if (input[2] % patch != 0 || input[3] % patch != 0) {
            context.error("PatchEmbedding: patch_size " + std::to_string(patch) + " does not divide the image size "
                + std::to_string(input[2]) + "×" + std::to_string(input[3])
                + "; choose a patch_size that divides both, or resize or pad the image");
            return;
        }
        context.setOutput(Shape { input[0], (input[2] / patch) * (input[3] / patch),
            context.params().integer("embed_dim") });
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto& params = context.params;
        const int64_t patch = params.integer("patch_size");
        torch::nn::Conv2d conv(
            torch::nn::Conv2dOptions(params.integer("in_channels"), params.integer("embed_dim"), patch)
                .stride(patch)
                .bias(params.boolean("bias")));
        return { conv.ptr(), [conv](const std::vector<torch::Tensor>& in) mutable {
                    return conv->forward(in[0]).flatten(2).transpose(1, 2);
                } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        const std::string patch = std::to_string(params.integer("patch_size"));
        return PythonCode { "nn.Conv2d(" + std::to_string(params.integer("in_channels")) + ", "
                + std::to_string(params.integer("embed_dim")) + ", kernel_size=" + patch + ", stride=" + patch
                + ", bias=" + python::boolean(params.boolean("bias")) + ")",
            "self." + attribute + "(" + python::firstInput(inputs) + ").flatten(2).transpose(1, 2)" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        const std::string patch = std::to_string(context.params.integer("patch_size"));
        return "return torch.conv2d(x0, self.weight, " + std::string(context.params.boolean("bias") ? "self.bias" : "None")
            + ", [" + patch + ", " + patch + "], [0, 0], [1, 1], 1).flatten(2).transpose(1, 2)";
    }

    /// One product per output value and input pixel of its patch: out elements × C·p².
    int64_t multiplyAccumulates(const BuildContext& context) const override
    {
        const int64_t patch = context.params.integer("patch_size");
        return context.output.sampleElements() * context.params.integer("in_channels") * patch * patch;
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const auto& params = context.params;
        const int64_t patch = params.integer("patch_size");
        std::vector<std::string> inputs { onnx.inputs().at(0), onnx.parameter("weight") };
        if (params.boolean("bias"))
            inputs.push_back(onnx.parameter("bias"));
        const std::string maps = onnx.apply("Conv", inputs, "conv",
            { { "kernel_shape", std::vector<int64_t> { patch, patch } },
                { "strides", std::vector<int64_t> { patch, patch } } });
        const std::string rows = onnx.apply(
            "Reshape", { maps, onnx.ints("flat_shape", { 0, params.integer("embed_dim"), -1 }) }, "flat");
        onnx.node("Transpose", { rows }, { onnx.output() }, { { "perm", std::vector<int64_t> { 0, 2, 1 } } });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(PatchEmbeddingLayer);

} // namespace
} // namespace netdraft::engine
