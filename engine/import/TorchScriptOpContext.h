#pragma once
// What the TorchScript graph reader lends the op mappers (TorchScriptLayerOps, TorchScriptShapeOps,
// TorchScriptArithmeticOps, TorchScriptRecurrentOps):
// the ops feeding a node, their ranks, the scalars the reader can compute (graph constants, and values
// folded from what it knows: ranks, sizes of the sample, arithmetic on them) and module attributes.
// Internal to engine/import.

#include "engine/core/ParamValue.h"
#include "engine/import/ImportedGraph.h"

#include <torch/script.h>

#include <optional>
#include <string>

namespace netdraft::engine {

/// Thrown by a mapper: why an op has no block, as a message for the user.
struct UnmappedOp {
    std::string reason;
};

/// The graph reader as the op mappers see it.
class TorchScriptOpContext {
public:
    virtual ~TorchScriptOpContext() = default;

    /// Appends the op producing tensor `value` to `op`'s inputs and returns it (-1: the network input);
    /// throws UnmappedOp when no block produces it.
    virtual int input(ImportedOp& op, const torch::jit::Value* value) = 0;
    /// The rank (with the batch) of op `op`'s output; 0 when unknown.
    virtual int rankOf(int op) const = 0;
    /// Op `index` (≥ 0) as mapped so far.
    virtual const ImportedOp& mappedOp(int index) const = 0;
    /// The rank of the op being mapped.
    virtual void setOutputRank(int rank) = 0;
    /// The op being mapped gives a batch-first sequence where the graph has it time-first (see timeFirst).
    virtual void setOutputTimeFirst() = 0;
    /// `value` as a scalar or list the reader knows before running (nullopt: computed while running).
    virtual std::optional<c10::IValue> scalar(const torch::jit::Value* value) = 0;
    /// A tensor held by the module (a GetAttr chain) or a constant; undefined for None. `modulePath`
    /// receives the module holding it. Throws UnmappedOp for a computed tensor.
    virtual torch::Tensor tensorAttribute(const torch::jit::Value* value, std::string* modulePath) = 0;
    /// Whether tensor `value` is a view with its first two dimensions swapped (x.transpose(0, 1) of a
    /// batch-first sequence), which only a time-first recurrent op or a select of a time step can read.
    virtual bool timeFirst(const torch::jit::Value* value) const = 0;
    /// Makes node output `output` the same op as `value` (no block), swapped or not.
    virtual void alias(const torch::jit::Value* output, const torch::jit::Value* value, bool timeFirst) = 0;

    c10::IValue constant(const torch::jit::Value* value, const char* what);
    int64_t integer(const torch::jit::Value* value, const char* what);
    double real(const torch::jit::Value* value, const char* what);
    bool flag(const torch::jit::Value* value, const char* what);
    /// An int list, or one int as a list of one.
    IntList integers(const torch::jit::Value* value, const char* what);
    bool isNone(const torch::jit::Value* value);
    /// A dimension index counted from the front: negative `dim` counts back from `rank`.
    static int64_t resolved(int64_t dim, int rank) { return dim < 0 ? dim + rank : dim; }
};

/// Convolutions, Linear, normalisations, PReLU, Embedding, activations and softmax; false when `kind` is none of them.
bool mapLayerOp(const std::string& kind, torch::jit::Node* node, ImportedOp& op, TorchScriptOpContext& context);
/// Permute, transpose, select, slice, squeeze, unsqueeze and upsampling; false when `kind` is none of them.
bool mapShapeOp(const std::string& kind, torch::jit::Node* node, ImportedOp& op, TorchScriptOpContext& context);
/// Arithmetic with a constant number (Scale) or another tensor (Subtract, Divide), matrix products and
/// reductions over dimensions; false when `kind` is none of them.
bool mapArithmeticOp(const std::string& kind, torch::jit::Node* node, ImportedOp& op, TorchScriptOpContext& context);
/// aten::lstm and aten::gru of torch.nn.LSTM/GRU modules; false when `kind` is neither.
bool mapRecurrentOp(const std::string& kind, torch::jit::Node* node, ImportedOp& op, TorchScriptOpContext& context);

} // namespace netdraft::engine
