#include "engine/layers/AttentionModules.h"

#include "engine/core/Error.h"

#include <torch/version.h>

#include <cmath>
#include <limits>

namespace netdraft::engine {

torch::Tensor scaledDotProductAttention(const torch::Tensor& query, const torch::Tensor& key,
    const torch::Tensor& value, bool causal, double dropout, bool training, const torch::Tensor& mask)
{
#if TORCH_VERSION_MAJOR >= 2
    if (!mask.defined())
        return at::scaled_dot_product_attention(query, key, value, {}, training ? dropout : 0.0, causal);
    torch::Tensor additive = mask;
    if (causal) {
        const torch::Tensor future
            = torch::ones({ query.size(-2), key.size(-2) }, query.options().dtype(torch::kBool)).triu(1);
        additive = mask.dtype() == torch::kBool ? mask.logical_or(future)
                                                : mask.masked_fill(future, -std::numeric_limits<double>::infinity());
    }
    return at::scaled_dot_product_attention(query, key, value, additive, training ? dropout : 0.0, false);
#else
    // As PyTorch 1.13's multi_head_attention_forward: the query is scaled before the product.
    const double scale = 1.0 / std::sqrt(static_cast<double>(query.size(-1)));
    torch::Tensor scores = torch::matmul(query * scale, key.transpose(-2, -1));
    if (causal) {
        const torch::Tensor future
            = torch::ones({ scores.size(-2), scores.size(-1) }, scores.options().dtype(torch::kBool)).triu(1);
        scores = scores.masked_fill(future, -std::numeric_limits<double>::infinity());
    }
    if (mask.defined())
        scores = mask.dtype() == torch::kBool ? scores.masked_fill(mask, -std::numeric_limits<double>::infinity())
                                              : scores + mask;
    torch::Tensor weights = torch::softmax(scores, -1);
    if (training && dropout > 0)
        weights = torch::dropout(weights, dropout, true);
    return torch::matmul(weights, value);
#endif
}

torch::Tensor headsMask(const torch::Tensor& mask, const std::string& what)
{
    ND_CHECK(mask.dtype() == torch::kBool || mask.is_floating_point(), what,
        " must be bool (true: may not attend) or floating-point (added to the "
        "scores, -inf: may not attend), got ",
        mask.dtype().name());
    return mask.dim() == 3 ? mask.unsqueeze(1) : mask;
}

MultiheadAttentionModule::MultiheadAttentionModule(AttentionSettings attention) : settings(attention)
{
    const int64_t e = settings.embedDim;
    // nn.MultiheadAttention._reset_parameters: Xavier-uniform projections, zero biases.
    in_proj_weight = register_parameter("in_proj_weight", torch::empty({ 3 * e, e }));
    torch::nn::init::xavier_uniform_(in_proj_weight);
    if (settings.bias)
        in_proj_bias = register_parameter("in_proj_bias", torch::zeros({ 3 * e }));
    out_proj = register_module("out_proj", torch::nn::Linear(torch::nn::LinearOptions(e, e).bias(settings.bias)));
    if (settings.bias) {
        torch::NoGradGuard noGrad;
        out_proj->bias.zero_();
    }
}

torch::Tensor MultiheadAttentionModule::forward(const torch::Tensor& query, const torch::Tensor& key,
    const torch::Tensor& value, bool causal, const torch::Tensor& mask)
{
    const int64_t e = settings.embedDim;
    const int64_t heads = settings.numHeads;
    auto project = [&](const torch::Tensor& x, int64_t part) {
        const torch::Tensor weight = in_proj_weight.slice(0, part * e, (part + 1) * e);
        const torch::Tensor bias = settings.bias ? in_proj_bias.slice(0, part * e, (part + 1) * e) : torch::Tensor();
        // N×T×E → N×heads×T×head_dim
        return torch::linear(x, weight, bias).reshape({ x.size(0), x.size(1), heads, e / heads }).transpose(1, 2);
    };
    torch::Tensor attended = scaledDotProductAttention(
        project(query, 0), project(key, 1), project(value, 2), causal, settings.dropout, is_training(), mask);
    attended = attended.transpose(1, 2).reshape({ query.size(0), query.size(1), e });
    return out_proj->forward(attended);
}

TransformerLayerBase::TransformerLayerBase(TransformerSettings transformer) : settings(std::move(transformer))
{
    const auto normOptions = torch::nn::LayerNormOptions({ settings.dModel }).eps(settings.layerNormEps);
    linear1 = register_module("linear1", torch::nn::Linear(settings.dModel, settings.dimFeedforward));
    linear2 = register_module("linear2", torch::nn::Linear(settings.dimFeedforward, settings.dModel));
    norm1 = register_module("norm1", torch::nn::LayerNorm(normOptions));
    norm2 = register_module("norm2", torch::nn::LayerNorm(normOptions));
}

torch::Tensor TransformerLayerBase::attentionBlock(MultiheadAttentionModule& attention, const torch::Tensor& x,
    const torch::Tensor& memory, bool causal, const torch::Tensor& mask)
{
    const torch::Tensor& source = memory.defined() ? memory : x;
    return torch::dropout(attention.forward(x, source, source, causal, mask), settings.dropout, is_training());
}

torch::Tensor TransformerLayerBase::feedForwardBlock(const torch::Tensor& x)
{
    torch::Tensor hidden = linear1->forward(x);
    hidden = settings.activation == "gelu" ? torch::gelu(hidden) : torch::relu(hidden);
    hidden = linear2->forward(torch::dropout(hidden, settings.dropout, is_training()));
    return torch::dropout(hidden, settings.dropout, is_training());
}

namespace {

AttentionSettings attentionOf(const TransformerSettings& settings)
{
    return { settings.dModel, settings.nhead, settings.dropout, true };
}

} // namespace

TransformerEncoderModule::TransformerEncoderModule(TransformerSettings transformer)
    : TransformerLayerBase(std::move(transformer))
{
    self_attn = register_module("self_attn", std::make_shared<MultiheadAttentionModule>(attentionOf(settings)));
}

torch::Tensor TransformerEncoderModule::forward(const torch::Tensor& x, bool causal, const torch::Tensor& mask)
{
    torch::Tensor y = residual(
        norm1, x, [&](const torch::Tensor& in) { return attentionBlock(*self_attn, in, {}, causal, mask); });
    return residual(norm2, y, [&](const torch::Tensor& in) { return feedForwardBlock(in); });
}

TransformerDecoderModule::TransformerDecoderModule(TransformerSettings transformer)
    : TransformerLayerBase(std::move(transformer))
{
    self_attn = register_module("self_attn", std::make_shared<MultiheadAttentionModule>(attentionOf(settings)));
    multihead_attn
        = register_module("multihead_attn", std::make_shared<MultiheadAttentionModule>(attentionOf(settings)));
    norm3 = register_module(
        "norm3", torch::nn::LayerNorm(torch::nn::LayerNormOptions({ settings.dModel }).eps(settings.layerNormEps)));
}

torch::Tensor TransformerDecoderModule::forward(const torch::Tensor& x, const torch::Tensor& memory, bool causal,
    const torch::Tensor& tgtMask, const torch::Tensor& memoryMask)
{
    torch::Tensor y = residual(
        norm1, x, [&](const torch::Tensor& in) { return attentionBlock(*self_attn, in, {}, causal, tgtMask); });
    y = residual(norm2, y,
        [&](const torch::Tensor& in) { return attentionBlock(*multihead_attn, in, memory, false, memoryMask); });
    return residual(norm3, y, [&](const torch::Tensor& in) { return feedForwardBlock(in); });
}

} // namespace netdraft::engine
