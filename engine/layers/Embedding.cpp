// Embedding: looks up a learned vector for each integer token id.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class EmbeddingLayer : public LayerType {
public:
    EmbeddingLayer()
        : LayerType({ "Embedding", "Embedding", category::kEmbedding,
            "Replaces each integer token id in [0, num_embeddings) by a learned vector of "
            "embedding_dim values. Input int64 token ids N×T (set the Input's dtype to int64), "
            "output N×T×embedding_dim.",
            { ParamSpec::integer("num_embeddings", 1000)
                    .min(1)
                    .onBlock()
                    .help("Vocabulary size: token ids must be below it."),
                ParamSpec::integer("embedding_dim", 64).min(1).onBlock().help("Length of each vector.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        std::vector<int64_t> dims = context.input().dims();
        dims.push_back(context.params().integer("embedding_dim"));
        context.setOutput(Shape(dims));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        torch::nn::Embedding embedding(torch::nn::EmbeddingOptions(
            context.params.integer("num_embeddings"), context.params.integer("embedding_dim")));
        return { embedding.ptr(),
            [embedding](const std::vector<torch::Tensor>& in) mutable { return embedding->forward(in[0]); } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        return PythonCode { "nn.Embedding(" + std::to_string(context.params.integer("num_embeddings")) + ", "
                + std::to_string(context.params.integer("embedding_dim")) + ")",
            "self." + attribute + "(" + python::firstInput(inputs) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext&) const override
    {
        // aten::embedding(weight, indices, padding_idx, scale_grad_by_freq, sparse)
        return std::string("return torch.embedding(self.weight, x0, -1, False, False)");
    }
    bool onnxNodes(const BuildContext&, OnnxBuilder& onnx) const override
    {
        onnx.node(
            "Gather", { onnx.parameter("weight"), onnx.inputs().at(0) }, { onnx.output() }, { { "axis", int64_t(0) } });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(EmbeddingLayer);

} // namespace
} // namespace netdraft::engine
