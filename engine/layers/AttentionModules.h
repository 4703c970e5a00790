#pragma once
// LibTorch modules of the attention layers, with PyTorch's parameter names (in_proj_weight,
// out_proj.weight, self_attn.*, linear1.*, norm1.*) so that state dicts load into nn.MultiheadAttention
// and nn.TransformerEncoderLayer/DecoderLayer. Sequences are batch-first: N×T×features.

#include <torch/torch.h>

#include <memory>
#include <string>

namespace netdraft::engine {

/// softmax(Q·Kᵀ/√d)·V over the last two dimensions: query N×…×T×d, key N×…×S×d, value N×…×S×dv.
/// `causal`: position t sees keys 0..t only. `mask` (optional, broadcastable to the N×…×T×S scores):
/// bool, true where a query may not look, or floating-point, added to the scores. LibTorch 2.x runs
/// at::scaled_dot_product_attention, 1.13 the explicit formula.
torch::Tensor scaledDotProductAttention(const torch::Tensor& query, const torch::Tensor& key,
    const torch::Tensor& value, bool causal, double dropout = 0.0, bool training = false,
    const torch::Tensor& mask = {});

/// A MultiheadAttention block's mask input as a mask over its N×heads×T×S scores: T×S and
/// N×heads×T×S as they are, N×T×S (one mask per sample) shared by the heads. Throws Error for a mask
/// that is neither bool nor floating-point, naming it by `what` ("TransformerDecoderLayer: tgt_mask").
torch::Tensor headsMask(const torch::Tensor& mask, const std::string& what = "MultiheadAttention: the mask");

/// Settings of one multi-head attention.
struct AttentionSettings {
    int64_t embedDim = 0;
    int64_t numHeads = 1;
    double dropout = 0.0; ///< on the attention weights while training
    bool bias = true;
};

/// nn.MultiheadAttention(batch_first=True) with kdim = vdim = embed_dim, need_weights off.
class MultiheadAttentionModule : public torch::nn::Module {
public:
    explicit MultiheadAttentionModule(AttentionSettings settings);
    /// `mask`: empty, or a headsMask() over the N×heads×T×S scores.
    torch::Tensor forward(const torch::Tensor& query, const torch::Tensor& key, const torch::Tensor& value, bool causal,
        const torch::Tensor& mask = {});

    AttentionSettings settings;
    torch::Tensor in_proj_weight;
    torch::Tensor in_proj_bias;
    torch::nn::Linear out_proj { nullptr };
};

/// Settings of a transformer encoder or decoder layer.
struct TransformerSettings {
    int64_t dModel = 0;
    int64_t nhead = 1;
    int64_t dimFeedforward = 2048;
    double dropout = 0.1;
    std::string activation = "relu"; ///< "relu" or "gelu"
    double layerNormEps = 1e-5;
    bool normFirst = false;
};

/// The feed-forward part and norms shared by encoder and decoder layers.
class TransformerLayerBase : public torch::nn::Module {
protected:
    explicit TransformerLayerBase(TransformerSettings settings);
    /// `mask`: empty, or a headsMask() over the attention's scores.
    torch::Tensor attentionBlock(MultiheadAttentionModule& attention, const torch::Tensor& x,
        const torch::Tensor& memory, bool causal, const torch::Tensor& mask = {});
    torch::Tensor feedForwardBlock(const torch::Tensor& x);
    /// x + block(norm(x)) with norm_first, else norm(x + block(x)).
    template <typename Block> torch::Tensor residual(torch::nn::LayerNorm& norm, const torch::Tensor& x, Block block)
    {
        return settings.normFirst ? x + block(norm(x)) : norm(x + block(x));
    }

public:
    TransformerSettings settings;
    torch::nn::Linear linear1 { nullptr }, linear2 { nullptr };
    torch::nn::LayerNorm norm1 { nullptr }, norm2 { nullptr };
};

/// nn.TransformerEncoderLayer(batch_first=True): self-attention and a feed-forward network.
class TransformerEncoderModule : public TransformerLayerBase {
public:
    explicit TransformerEncoderModule(TransformerSettings settings);
    /// `mask`: empty, or a headsMask() over the self-attention's N×nhead×T×T scores (src_mask).
    torch::Tensor forward(const torch::Tensor& x, bool causal, const torch::Tensor& mask = {});

    std::shared_ptr<MultiheadAttentionModule> self_attn;
};

/// nn.TransformerDecoderLayer(batch_first=True): self-attention, attention over `memory`, feed-forward.
class TransformerDecoderModule : public TransformerLayerBase {
public:
    explicit TransformerDecoderModule(TransformerSettings settings);
    /// `tgtMask`, `memoryMask`: empty, or headsMask()s over the self-attention's and the memory
    /// attention's scores.
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& memory, bool causal,
        const torch::Tensor& tgtMask = {}, const torch::Tensor& memoryMask = {});

    std::shared_ptr<MultiheadAttentionModule> self_attn;
    std::shared_ptr<MultiheadAttentionModule> multihead_attn;
    torch::nn::LayerNorm norm3 { nullptr };
};

} // namespace netdraft::engine
