#pragma once
// TorchScript text and ONNX nodes (opset 17 has no attention operator) of the attention layers,
// written once for MultiheadAttention, ScaledDotProductAttention and the transformer layers.

#include "engine/layers/OnnxBuilder.h"

#include <cstdint>
#include <string>

namespace netdraft::engine {

/// One multi-head attention whose parameters are `prefix`in_proj_weight, `prefix`out_proj.weight, ...
struct AttentionExport {
    std::string prefix; ///< "" for MultiheadAttention, "self_attn." inside a transformer layer
    int64_t embedDim = 0;
    int64_t numHeads = 1;
    bool bias = true;
    bool causal = false;
};

namespace torchscript {

/// Statements assigning `result` the attention of `query` over `key`/`value` (N×T×E each), named
/// with `tag` so that several attentions fit into one body. Inference only: no dropout. `mask`: empty,
/// or an expression broadcastable to the N×heads×T×S scores, bool (true: may not attend) or float (added).
std::string multiheadAttention(const AttentionExport& attention, const std::string& result, const std::string& query,
    const std::string& key, const std::string& value, const std::string& tag, const std::string& mask = "");
/// softmax(q·kᵀ/√d)·v as one expression over the last two dimensions, `headDim` = d.
std::string scaledDotProduct(
    const std::string& query, const std::string& key, const std::string& value, int64_t headDim, bool causal);

} // namespace torchscript

namespace onnxgraph {

/// x·Wᵀ (+ b) over the last dimension with rows [begin, begin + rows) of the 2-D parameter `weight`
/// (and of the 1-D `bias`, when it is not empty); returns the result's name.
std::string linear(OnnxBuilder& onnx, const std::string& x, const std::string& weight, const std::string& bias,
    int64_t begin, int64_t rows, const std::string& hint);
/// softmax(q·kᵀ/√d)·v over the last two dimensions of tensors of `rank`; `queries` × `keys` sizes
/// the causal mask. Returns the result's name.
std::string scaledDotProduct(OnnxBuilder& onnx, const std::string& query, const std::string& key,
    const std::string& value, int64_t rank, int64_t headDim, bool causal, int64_t queries, int64_t keys,
    const std::string& mask = "");
/// Multi-head attention of N×T×E `query` over N×S×E `key`/`value`; returns the result's name. `mask`:
/// empty, or a float tensor broadcastable to the N×heads×T×S scores, added to them.
std::string multiheadAttention(OnnxBuilder& onnx, const AttentionExport& attention, const std::string& query,
    const std::string& key, const std::string& value, int64_t queries, int64_t keys, const std::string& mask = "");
/// LayerNormalization over the last dimension with `prefix`weight and `prefix`bias.
std::string layerNorm(OnnxBuilder& onnx, const std::string& prefix, const std::string& x, double eps);
/// Exact GELU (0.5·x·(1 + erf(x/√2))) or ReLU.
std::string activation(OnnxBuilder& onnx, const std::string& x, const std::string& name);

} // namespace onnxgraph

} // namespace netdraft::engine
