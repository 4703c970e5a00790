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
            "N×S×d_model, output N×T×d_model (batch-first). With tgt_mask_input a tgt_mask port takes the "
            "self-attention's mask (N×T×T, N×nhead×T×T or T×T), with memory_mask_input a memory_mask port the "
            "memory attention's (N×T×S, N×nhead×T×S or T×S); bool (true: may not attend) or float (added to "
            "the scores). Same parameters as PyTorch's nn.TransformerDecoderLayer.",
            { "tgt", "memory" },
            { { "self_attn.", false, "tgt_mask", "tgt_mask_input", "tgt_mask" },
                { "multihead_attn.", true, "memory_mask", "memory_mask_input", "memory_mask" } })
    {
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        auto module = std::make_shared<TransformerDecoderModule>(settingsOf(context.params));
        const bool causal = context.params.boolean("causal");
        const std::vector<std::optional<size_t>> masks = maskPorts(context.params);
        return { module, [module, causal, masks](const std::vector<torch::Tensor>& in) {
                    return module->forward(in[0], in[1], causal,
                        maskOf(in, masks[0], "TransformerDecoderLayer: tgt_mask"),
                        maskOf(in, masks[1], "TransformerDecoderLayer: memory_mask"));
                } };
    }
};

NETDRAFT_REGISTER_LAYER(TransformerDecoderLayerLayer);

} // namespace
} // namespace netdraft::engine
