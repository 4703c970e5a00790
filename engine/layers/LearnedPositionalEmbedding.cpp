// LearnedPositionalEmbedding: adds a learned vector per position (BERT, ViT, GPT-2).

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

/// The parameter "weight" (max_len×d_model), initialised N(0, 0.02²) as in BERT and ViT.
struct LearnedPositionalEmbeddingModule : torch::nn::Module {
    LearnedPositionalEmbeddingModule(int64_t maxLen, int64_t dModel)
    {
        weight = register_parameter("weight", torch::randn({ maxLen, dModel }) * 0.02);
    }
    torch::Tensor weight;
};

const char* kLearnedPositionalEmbeddingClass = R"(class LearnedPositionalEmbedding(nn.Module):
    """Adds a learned vector per position (weight: max_len×d_model) to an N×T×d_model input."""

    def __init__(self, d_model, max_len):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(max_len, d_model) * 0.02)

    def forward(self, x):
        return x + self.weight[: x.size(1)]
)";

class LearnedPositionalEmbeddingLayer : public LayerType {
public:
    LearnedPositionalEmbeddingLayer()
        : LayerType({ "LearnedPositionalEmbedding", "Positional Embedding (learned)", category::kEmbedding,
            "Adds to position t of the sequence a learned vector (row t of a max_len×d_model table), so that "
            "attention layers can tell positions apart; unlike the sinusoidal encoding it is trained with the "
            "network (BERT, ViT, GPT-2). Input and output N×T×d_model, T at most max_len.",
            { ParamSpec::inferredInteger("d_model")
                    .help("Features per position; inferred from the input unless pinned."),
                ParamSpec::integer("max_len", 512).min(1).onBlock().help("Longest sequence: rows of the table.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 3, "N×T×d_model"))
            return;
        const Shape& input = context.input();
        context.inferFromInput("d_model", input[2], "features per position",
            "set d_model to " + std::to_string(input[2]) + " or to auto");
        const int64_t maxLen = context.params().integer("max_len");
        if (input[1] > maxLen)
            context.error("LearnedPositionalEmbedding: the sequence has " + std::to_string(input[1])
                + " positions but max_len is " + std::to_string(maxLen) + "; raise max_len to at least "
                + std::to_string(input[1]));
        context.setOutput(input);
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        auto module = std::make_shared<LearnedPositionalEmbeddingModule>(
            context.params.integer("max_len"), context.params.integer("d_model"));
        return { module, [module](const std::vector<torch::Tensor>& in) {
                    return in[0] + module->weight.slice(0, 0, in[0].size(1));
                } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        return PythonCode { "LearnedPositionalEmbedding(" + std::to_string(context.params.integer("d_model")) + ", "
                + std::to_string(context.params.integer("max_len")) + ")",
            "self." + attribute + "(" + python::firstInput(inputs) + ")", kLearnedPositionalEmbeddingClass };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return x0 + self.weight[0:" + std::to_string(context.inputs.at(0)[1]) + "]";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const std::string rows = onnx.apply("Slice",
            { onnx.parameter("weight"), onnx.ints("start", { 0 }), onnx.ints("end", { context.inputs.at(0)[1] }),
                onnx.ints("axis", { 0 }) },
            "rows");
        onnx.node("Add", { onnx.inputs().at(0), rows }, { onnx.output() });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(LearnedPositionalEmbeddingLayer);

} // namespace
} // namespace netdraft::engine
