#pragma once
// Maps one ONNX node to an op of an imported network, operator family by operator family: weighted
// layers (Conv, ConvTranspose, Gemm, MatMul, BatchNormalization, LayerNormalization), activations, and
// structure (pooling, Flatten, Pad, Reshape, Dropout, merges). OnnxImport walks the graph, follows the
// data from op to op and lists what has no block; this unit knows the operators.

#include "engine/import/ImportedGraph.h"
#include "engine/import/OnnxValues.h"

#include <functional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Why a node has no block, for the user; thrown while a node is mapped.
struct UnmappedOnnxNode {
    std::string reason;
};

/// Fills ImportedOps from the nodes of a checked, shape-inferred graph.
class OnnxNodeMapper {
public:
    /// `source` gives the op producing a data tensor (-1: the network's input), or throws
    /// UnmappedOnnxNode; the mapping's notes for the user (a fixed batch size) go to `notes`.
    OnnxNodeMapper(
        const OnnxValues& values, std::function<int(const std::string&)> source, std::vector<std::string>& notes);

    /// Fills `op`'s layer type, inputs, parameters and weights from `node`; false when no block does what
    /// the operator does. Throws UnmappedOnnxNode when a block would, but not with this node's settings.
    bool map(const onnx::NodeProto& node, ImportedOp& op);

private:
    // Reading a node's inputs and attributes
    torch::Tensor constantInput(const onnx::NodeProto& node, int index, const char* what) const;
    bool hasInput(const onnx::NodeProto& node, int index) const;
    /// A node's "axes": an attribute (before opset 13, or 18 for the reductions) or its second input,
    /// which must be constant; empty when it has neither.
    IntList constantAxes(const onnx::NodeProto& node) const;
    int rank(const std::string& name) const;
    static IntList symmetricPads(const onnx::NodeProto& node, size_t spatial);
    /// One data input, output of the same shape.
    bool simple(const onnx::NodeProto& node, ImportedOp& op, const char* type);

    // Weighted layers
    bool mapWeighted(const onnx::NodeProto& node, ImportedOp& op);
    bool convolution(const onnx::NodeProto& node, ImportedOp& op);
    bool transposedConvolution(const onnx::NodeProto& node, ImportedOp& op);
    bool gemm(const onnx::NodeProto& node, ImportedOp& op);
    bool matmul(const onnx::NodeProto& node, ImportedOp& op);
    bool batchNorm(const onnx::NodeProto& node, ImportedOp& op);
    bool layerNorm(const onnx::NodeProto& node, ImportedOp& op);

    // Activations
    /// A registered layer type, or null (some come from other engineers' files: ReLU6, Hardswish…).
    static bool registered(const char* type);
    bool mapActivation(const onnx::NodeProto& node, ImportedOp& op);
    bool prelu(const onnx::NodeProto& node, ImportedOp& op);
    bool softmax(const onnx::NodeProto& node, ImportedOp& op);
    bool clip(const onnx::NodeProto& node, ImportedOp& op);

    // Structure: pooling, reshapes, dropout and merges
    bool mapStructure(const onnx::NodeProto& node, ImportedOp& op);
    bool merge(const onnx::NodeProto& node, ImportedOp& op, const char* type);
    /// Add, Sub, Mul or Div of the data and one constant number: a Scale block (x · scale + bias), of one
    /// value per channel: a ChannelAffine block;
    /// false when no operand or both are constants.
    bool constantArithmetic(const onnx::NodeProto& node, ImportedOp& op);
    /// The same with a constant of one value per channel: a ChannelAffine block (Mul and Add learned,
    /// Sub and Div fixed); throws for a constant of any other shape.
    bool channelArithmetic(const onnx::NodeProto& node, ImportedOp& op, int dataSide, const torch::Tensor& constant);
    bool pooling(const onnx::NodeProto& node, ImportedOp& op);
    /// Zero padding of N×C×H×W's height and width (torch writes one before an AvgPool2d that counts
    /// padded zeros); padding of nothing is passed through.
    bool pad(const onnx::NodeProto& node, ImportedOp& op);
    bool flatten(const onnx::NodeProto& node, ImportedOp& op);
    bool reshape(const onnx::NodeProto& node, ImportedOp& op);
    /// Transpose of a value computed while running (constants are folded before): a Permute block
    /// when the batch stays first.
    bool transpose(const onnx::NodeProto& node, ImportedOp& op);
    /// Squeeze/Unsqueeze of data (constants and sizes are folded before) by one axis after the batch:
    /// a Squeeze or Unsqueeze block.
    bool squeeze(const onnx::NodeProto& node, ImportedOp& op);
    /// ReduceMean/ReduceSum/ReduceMax over constant axes: GlobalAvgPool, Mean, Sum or Max (ReductionImport).
    bool reduction(const onnx::NodeProto& node, ImportedOp& op, const char* kind);
    /// Resize (opset 10+) and the older Upsample of N×C×H×W: an Upsample block, nearest as PyTorch
    /// rounds (asymmetric, floor) or bilinear (pytorch_half_pixel or align_corners).
    bool resize(const onnx::NodeProto& node, ImportedOp& op);
    /// One constant index of a dimension after the batch: a Select.
    bool gather(const onnx::NodeProto& node, ImportedOp& op);
    /// Rows of a constant 2-D table picked by the data along axis 0: an Embedding.
    bool embedding(const onnx::NodeProto& node, ImportedOp& op);

    const OnnxValues& values_;
    std::function<int(const std::string&)> source_;
    std::vector<std::string>& notes_;
};

} // namespace netdraft::engine
