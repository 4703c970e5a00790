// TransformerEncoderLayer: self-attention then a feed-forward network, each with a residual sum and LayerNorm.

#include "engine/layers/TransformerLayer.h"

namespace netdraft::engine {
namespace {

class TransformerEncoderLayerLayer : public TransformerLayer {
public:
    TransformerEncoderLayerLayer()
        : TransformerLayer("TransformerEncoderLayer", "Transformer Encoder Layer",
            "One layer of a transformer encoder (BERT, ViT): multi-head self-attention, then a two-layer "
            "feed-forward network applied at every position, each added back to its input (residual) and "
            "normalised with LayerNorm. Stack several for a deeper model. Input and output N×T×d_model "
            "(batch-first). With mask_input a mask port takes src_mask: N×T×T (one mask per sample, shared by "
            "the heads), N×nhead×T×T or T×T; bool (true: may not attend) or float (added to the scores). Same "
            "parameters as PyTorch's nn.TransformerEncoderLayer.",
            { "in" }, { { "self_attn.", false, "mask", "mask_input", "src_mask" } })
    {
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        auto module = std::make_shared<TransformerEncoderModule>(settingsOf(context.params));
        const bool causal = context.params.boolean("causal");
        const std::optional<size_t> mask = maskPorts(context.params).front();
        return { module, [module, causal, mask](const std::vector<torch::Tensor>& in) {
                    return module->forward(in[0], causal, maskOf(in, mask, "TransformerEncoderLayer: mask"));
                } };
    }
};

NETDRAFT_REGISTER_LAYER(TransformerEncoderLayerLayer);

} // namespace
} // namespace netdraft::engine
