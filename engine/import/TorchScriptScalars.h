#pragma once
// The scalars of a TorchScript graph that are known before it runs: constants, and what scripted
// modules compute from their input's rank and sizes (is_batched = input.dim() == 3, the scale factors
// F.interpolate appends in a loop, branches on them), folded once the reader knows those.
// Internal to engine/import.

#include <torch/script.h>

#include <functional>
#include <map>
#include <optional>

namespace netdraft::engine {

/// Folds scalar values of one graph; what a tensor's rank and sizes are comes from the reader.
class TorchScriptScalars {
public:
    /// `rankOf`: a tensor value's rank (with the batch), 0 when unknown. `sizeOf`: one dimension of a
    /// tensor value when known before running (never the batch).
    TorchScriptScalars(std::function<int(const torch::jit::Value*)> rankOf,
        std::function<std::optional<int64_t>(const torch::jit::Value*, int64_t)> sizeOf);

    /// `value` when it is known before running: a constant, or folded from ranks, sizes and constants.
    std::optional<c10::IValue> fold(const torch::jit::Value* value);
    /// The branch of prim::If `node` taken, when its condition folds.
    std::optional<size_t> branchTaken(const torch::jit::Node* node);

private:
    std::optional<c10::IValue> foldNode(const torch::jit::Value* value);
    /// Size `dim` of `tensor`, when known and not the batch.
    std::optional<c10::IValue> sizeAt(const torch::jit::Value* tensor, const std::optional<c10::IValue>& dim);
    std::optional<c10::IValue> foldComparison(const torch::jit::Node* node);
    std::optional<c10::IValue> foldArithmetic(const torch::jit::Node* node);
    std::optional<c10::IValue> foldList(const torch::jit::Node* node);
    /// An empty list filled by aten::append in a prim::Loop of constant trip count.
    std::optional<c10::IValue> foldAppendedList(const torch::jit::Value* list);

    std::function<int(const torch::jit::Value*)> rankOf_;
    std::function<std::optional<int64_t>(const torch::jit::Value*, int64_t)> sizeOf_;
    std::map<const torch::jit::Value*, c10::IValue> folded_;
};

} // namespace netdraft::engine
