// ClassToken: prepends a learned token to a sequence, ViT's [class] token.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

/// The parameter "token" (1×1×d_model).
struct ClassTokenModule : torch::nn::Module {
    explicit ClassTokenModule(int64_t dModel)
    {
        token = register_parameter("token", torch::randn({ 1, 1, dModel }) * 0.02);
    }
    torch::Tensor token;
};

const char* kClassTokenClass = R"(class ClassToken(nn.Module):
    """Prepends a learned token (token: 1×1×d_model) to an N×T×d_model sequence: N×(T+1)×d_model."""

    def __init__(self, d_model):
        super().__init__()
        self.token = nn.Parameter(torch.randn(1, 1, d_model) * 0.02)

    def forward(self, x):
        return torch.cat([self.token.expand(x.size(0), -1, -1), x], dim=1)
)";

class ClassTokenLayer : public LayerType {
public:
    ClassTokenLayer()
        : LayerType({ "ClassToken", "Class Token", category::kEmbedding,
            "Puts one learned vector in front of the sequence (position 0). After the attention layers it has "
            "gathered information from every position, so a classifier reads only it: select position 0, then "
            "Linear. The [class] token of BERT and the Vision Transformer. Input N×T×d_model, output "
            "N×(T+1)×d_model.",
            { ParamSpec::inferredInteger("d_model")
                    .help("Features per position; inferred from the input unless pinned.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 3, "N×T×d_model"))
            return;
        const Shape& input = context.input();
        context.inferFromInput("d_model", input[2], "features per position",
            "set d_model to " + std::to_string(input[2]) + " or to auto");
        context.setOutput(Shape { input[0], input[1] + 1, input[2] });
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        auto module = std::make_shared<ClassTokenModule>(context.params.integer("d_model"));
        return { module, [module](const std::vector<torch::Tensor>& in) {
                    return torch::cat({ module->token.expand({ in[0].size(0), -1, -1 }), in[0] }, 1);
                } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        return PythonCode { "ClassToken(" + std::to_string(context.params.integer("d_model")) + ")",
            "self." + attribute + "(" + python::firstInput(inputs) + ")", kClassTokenClass };
    }

    std::optional<std::string> torchScriptBody(const BuildContext&) const override
    {
        return std::string("return torch.cat([self.token.expand([x0.size(0), -1, -1]), x0], 1)");
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const std::string& x = onnx.inputs().at(0);
        const std::string batch
            = onnx.apply("Shape", { x }, "batch", { { "start", int64_t(0) }, { "end", int64_t(1) } });
        const std::string shape = onnx.apply("Concat",
            { batch, onnx.ints("token_rest", { 1, context.params.integer("d_model") }) }, "token_shape",
            { { "axis", int64_t(0) } });
        const std::string tokens = onnx.apply("Expand", { onnx.parameter("token"), shape }, "tokens");
        onnx.node("Concat", { tokens, x }, { onnx.output() }, { { "axis", int64_t(1) } });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(ClassTokenLayer);

} // namespace
} // namespace netdraft::engine
