// TransformerDecoderLayer: self-attention, attention over an encoder's output (memory), feed-forward.

#include "engine/layers/TransformerLayer.h"

namespace netdraft::engine {
namespace {

class TransformerDecoderLayerLayer : public TransformerLayer {
public:
    TransformerDecoderLayerLayer()
        : TransformerLayer("TransformerDecoderLayer", "Transformer Decoder Layer",
            "One layer of a transformer decoder (translation, captioning): self-attention over the target "
            "sequence (usually causal), attention from the target to the encoder's output on the memory port, "
            "then a feed-forward network; each part has a residual sum and LayerNorm. tgt N×T×d_model, memory "
            "N×S×d_model, output N×T×d_model (batch-first). Same parameters as PyTorch's "
            "nn.TransformerDecoderLayer.",
            { "tgt", "memory" })
    {
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        auto module = std::make_shared<TransformerDecoderModule>(settingsOf(context.params));
        const bool causal = context.params.boolean("causal");
        return { module, [module, causal](const std::vector<torch::Tensor>& in) {
                    return module->forward(in[0], in[1], causal);
                } };
    }

protected:
    std::vector<AttentionPart> attentionParts() const override
    {
        return { { "self_attn.", false }, { "multihead_attn.", true } };
    }
};

NETDRAFT_REGISTER_LAYER(TransformerDecoderLayerLayer);

} // namespace
} // namespace netdraft::engine
