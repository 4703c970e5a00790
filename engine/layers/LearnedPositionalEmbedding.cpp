// LearnedPositionalEmbedding: adds a learned vector per position (BERT, ViT, GPT-2).

#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PositionTableLayer.h"

namespace netdraft::engine {
namespace {

const char* kLearnedPositionalEmbeddingClass = R"(class LearnedPositionalEmbedding(nn.Module):
    """Adds a learned vector per position (weight: max_len×d_model) to an N×T×d_model input."""

    def __init__(self, d_model, max_len):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(max_len, d_model) * 0.02)

    def forward(self, x):
        return x + self.weight[: x.size(1)]
)";

class LearnedPositionalEmbeddingLayer : public PositionTableLayer {
public:
    LearnedPositionalEmbeddingLayer()
        : PositionTableLayer("LearnedPositionalEmbedding", "Positional Embedding (learned)",
            "Adds to position t of the sequence a learned vector (row t of a max_len×d_model table), so that "
            "attention layers can tell positions apart; unlike the sinusoidal encoding it is trained with the "
            "network (BERT, ViT, GPT-2). Input and output N×T×d_model, T at most max_len.",
            "Longest sequence: rows of the table.", { "weight", true, kLearnedPositionalEmbeddingClass })
    {
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

protected:
    /// Initialised N(0, 0.02²) as in BERT and ViT.
    torch::Tensor initialTable(int64_t maxLen, int64_t dModel) const override
    {
        return torch::randn({ maxLen, dModel }) * 0.02;
    }
};

NETDRAFT_REGISTER_LAYER(LearnedPositionalEmbeddingLayer);

} // namespace
} // namespace netdraft::engine
