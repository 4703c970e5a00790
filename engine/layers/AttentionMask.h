#pragma once
// The mask inputs of the attention layers (MultiheadAttention's mask, TransformerEncoderLayer's mask,
// TransformerDecoderLayer's tgt_mask and memory_mask): one shape check and one translation per export,
// so that every layer reads a mask the same way. A mask is N×T×S (one per sample, shared by the heads),
// N×heads×T×S or T×S; bool (true: may not attend) or floating-point (added to the scores).

#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"

#include <string>

namespace netdraft::engine {

/// Where a mask goes: the block's type, the mask's port and the Bool parameter that switches it on.
struct AttentionMaskPort {
    std::string layer; ///< "MultiheadAttention"
    std::string port; ///< "mask"
    std::string param; ///< "mask_input"
};

/// Records an error on the block unless `mask` fits scores of `queries` × `keys` over `heads` heads,
/// and when `causal` is on as well (the causal part belongs in the mask). `lengths` says what T and S
/// are ("T is the query's length, S the key's").
void checkAttentionMask(InferenceContext& context, const AttentionMaskPort& where, const Shape& mask, int64_t heads,
    int64_t queries, int64_t keys, bool causal, const std::string& lengths);

/// model.py: the mask as nn.MultiheadAttention's attn_mask (T×S, or (N·heads)×T×S with the heads of a
/// sample together) for a mask input expression of `rank` (batch included).
std::string pythonAttentionMask(const std::string& mask, int64_t rank, int64_t heads);

/// TorchScript: the mask as a mask over the N×heads×T×S scores (N×T×S gains the heads' axis).
std::string torchScriptAttentionMask(const std::string& mask, int64_t rank);

/// ONNX: the mask value as a float mask over the N×heads×T×S scores; returns its name.
std::string onnxAttentionMask(OnnxBuilder& onnx, const std::string& mask, int64_t rank);

} // namespace netdraft::engine
