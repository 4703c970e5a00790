#pragma once
// What the ONNX import knows about a graph's values before mapping nodes to blocks: initializers and
// Constant nodes as tensors, the inferred dims of every value, and the small computations on constants
// and tensor sizes that exporters write around a reshape (Shape → Gather → Unsqueeze → Concat), folded
// so that the Reshape reads a shape whose first size is the batch. Also the attribute readers.

#include "engine/core/ParamValue.h"

#include <onnx/onnx_pb.h>
#include <torch/torch.h>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Stands for the batch size in a folded list of sizes.
inline constexpr int64_t kOnnxBatchSize = std::numeric_limits<int64_t>::min();
/// Stands for a size the file does not fix.
inline constexpr int64_t kOnnxUnknownSize = std::numeric_limits<int64_t>::min() + 1;

/// A folded integer list (or scalar) that may hold the batch size or unknown sizes.
struct OnnxSymbolicInts {
    std::vector<int64_t> items;
    bool scalar = false;
};

/// The values of one graph, for OnnxGraphReader.
class OnnxValues {
public:
    /// `model` must have been shape-inferred (its value_info filled); it must outlive this.
    OnnxValues(const onnx::ModelProto& model, std::string sourceName);

    /// Folds `node` when it computes on constants or on tensor sizes; false when it is not such a node.
    /// Throws Error naming the node when the constants do not fit it.
    bool fold(const onnx::NodeProto& node);

    bool isConstant(const std::string& name) const;
    /// Whether `name` is a folded list of sizes that holds the batch size or unknown sizes.
    bool isSymbolic(const std::string& name) const { return symbolic_.count(name) > 0; }
    /// The tensor of an initializer, Constant node or folded node; nullopt for anything else.
    std::optional<torch::Tensor> constant(const std::string& name) const;
    /// Whether `name` holds only zeros: a constant of zeros, or zeros sized by the batch (ConstantOfShape of
    /// a folded size list, and slices or reshapes of it), as exporters write a recurrent layer's
    /// initial state.
    bool isZeros(const std::string& name) const;
    /// A 0-D or 1-D integer constant or folded size list.
    std::optional<OnnxSymbolicInts> symbolic(const std::string& name) const;
    /// The inferred dims of a value (-1 where unknown); empty when inference says nothing.
    std::vector<int64_t> dims(const std::string& name) const;
    /// The default domain's opset.
    int64_t opset() const { return opset_; }
    /// The batch size the graph input fixes, or -1 when it leaves it open.
    int64_t fixedBatch() const { return fixedBatch_; }

private:
    torch::Tensor evaluate(const onnx::NodeProto& node) const;
    std::optional<OnnxSymbolicInts> evaluateSymbolic(const onnx::NodeProto& node) const;
    torch::Tensor requireConstant(const onnx::NodeProto& node, int index) const;
    bool foldZeros(const onnx::NodeProto& node);

    std::string sourceName_;
    int64_t opset_ = 0;
    int64_t fixedBatch_ = -1;
    std::map<std::string, const onnx::TensorProto*> initializers_;
    mutable std::map<std::string, torch::Tensor> constants_; ///< converted initializers and folded nodes
    std::map<std::string, OnnxSymbolicInts> symbolic_;
    std::set<std::string> zeros_; ///< zeros whose size depends on the batch
    std::map<std::string, std::vector<int64_t>> dims_;
};

/// Attribute readers: the attribute `name` of `node`, or `fallback` when it has none.
bool onnxHas(const onnx::NodeProto& node, const std::string& name);
int64_t onnxInt(const onnx::NodeProto& node, const std::string& name, int64_t fallback);
double onnxFloat(const onnx::NodeProto& node, const std::string& name, double fallback);
IntList onnxInts(const onnx::NodeProto& node, const std::string& name, const IntList& fallback);
/// A list-of-floats attribute (Upsample's "scales" in opset 7); empty when the node has none.
RealList onnxFloats(const onnx::NodeProto& node, const std::string& name);
std::string onnxString(const onnx::NodeProto& node, const std::string& name, const std::string& fallback);
/// A list-of-strings attribute ("activations"); empty when the node has none.
std::vector<std::string> onnxStrings(const onnx::NodeProto& node, const std::string& name);

} // namespace netdraft::engine
