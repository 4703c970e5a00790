#include "engine/layers/AttentionMask.h"

#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {

namespace {

/// The mask's shapes the scores take: "N×T×S (one mask per sample), N×heads×T×S (one per head) or T×S".
std::string maskShapes(int64_t heads, int64_t queries, int64_t keys)
{
    const std::string scores = std::to_string(queries) + "×" + std::to_string(keys);
    return "N×" + scores + " (one mask per sample), N×" + std::to_string(heads) + "×" + scores + " (one per head) or "
        + scores + " (one for every sample)";
}

} // namespace

void checkAttentionMask(InferenceContext& context, const AttentionMaskPort& where, const Shape& mask, int64_t heads,
    int64_t queries, int64_t keys, bool causal, const std::string& lengths)
{
    if (causal)
        context.error(where.layer + ": causal and " + where.param
            + " are both on; put the causal part into the mask (-inf above the diagonal) or switch causal off");
    const std::vector<int64_t> dims = mask.dims();
    const int64_t rank = dims.size();
    const bool batched = mask.hasBatch();
    const bool fits = rank >= 2 && dims[rank - 2] == queries && dims[rank - 1] == keys
        && (batched ? rank == 3 || (rank == 4 && dims[1] == heads) : rank == 2);
    if (!fits)
        context.error(where.layer + ": " + where.port + " " + mask.toString() + " must be "
            + maskShapes(heads, queries, keys) + ": " + lengths);
}

std::string pythonAttentionMask(const std::string& mask, int64_t rank, int64_t heads)
{
    if (rank == 3)
        return python::operand(mask) + ".repeat_interleave(" + std::to_string(heads) + ", 0)";
    if (rank == 4)
        return python::operand(mask) + ".flatten(0, 1)";
    return mask;
}

std::string torchScriptAttentionMask(const std::string& mask, int64_t rank)
{
    return rank == 3 ? mask + ".unsqueeze(1)" : mask;
}

std::string onnxAttentionMask(OnnxBuilder& onnx, const std::string& mask, int64_t rank)
{
    if (rank != 3)
        return mask;
    return onnx.apply("Unsqueeze", { mask, onnx.ints("head_axis", { 1 }) }, "mask_heads");
}

} // namespace netdraft::engine
