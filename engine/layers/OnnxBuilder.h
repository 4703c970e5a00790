#pragma once
// What a layer's onnxNodes() writes its ONNX operators through. Free of protobuf and LibTorch (it is
// reached from LayerType.h, which the Qt code includes); engine/export/OnnxGraphWriter implements it
// with onnx_pb.h.

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace netdraft::engine {

/// An attribute of an ONNX node: int, float, string, ints, floats or strings.
using OnnxAttributeValue
    = std::variant<int64_t, double, std::string, std::vector<int64_t>, std::vector<double>, std::vector<std::string>>;

struct OnnxAttribute {
    std::string name;
    OnnxAttributeValue value;
};

/// The values of a tensor, row-major, float32 or int64.
struct OnnxTensorValues {
    std::vector<int64_t> dims;
    std::vector<float> floats; ///< used unless `isInt64`
    std::vector<int64_t> ints; ///< used when `isInt64`
    bool isInt64 = false;

    static OnnxTensorValues ofFloats(std::vector<int64_t> dims, std::vector<float> values);
    static OnnxTensorValues ofInts(std::vector<int64_t> dims, std::vector<int64_t> values);
    int64_t elementCount() const;
};

/// Builds the ONNX nodes of one block. Value names are unique in the graph; the block's nodes read
/// inputs() and must leave their result in output() (or call passThrough()).
class OnnxBuilder {
public:
    virtual ~OnnxBuilder() = default;

    /// The values feeding the block's input ports, in port order.
    virtual const std::vector<std::string>& inputs() const = 0;
    /// The name the block's result must have (its first output's, for blocks with several).
    virtual const std::string& output() const = 0;
    /// Blocks with several output ports (Split): the names of their results, in port order.
    virtual const std::vector<std::string>& outputs() const = 0;
    /// The block computes nothing at inference (Identity, Dropout): its output is `value`, no node.
    virtual void passThrough(const std::string& value) = 0;
    /// A new value name unique in the graph, made from the block id and `hint`.
    virtual std::string temporary(const std::string& hint) = 0;
    /// Appends a node of the default domain (opset 17).
    virtual void node(const std::string& opType, const std::vector<std::string>& inputs,
        const std::vector<std::string>& outputs, const std::vector<OnnxAttribute>& attributes = {})
        = 0;
    /// Adds the block's LibTorch parameter or buffer `name` ("weight", "running_var") as an
    /// initializer named "<block id>.<name>" and returns that name (the same one when asked again).
    virtual std::string parameter(const std::string& name) = 0;
    /// The values of the block's parameter or buffer `name`, for layers that rearrange them (prefer
    /// parameter() with nodes that rearrange it: a rearranged copy does not open again as the tensor).
    virtual OnnxTensorValues parameterValues(const std::string& name) const = 0;
    /// The sizes of the block's parameter or buffer `name`, without copying its values.
    virtual std::vector<int64_t> parameterDims(const std::string& name) const = 0;
    /// Adds an initializer holding `values`, named from the block id and `hint`, and returns its name.
    virtual std::string constant(const std::string& hint, const OnnxTensorValues& values) = 0;

    /// Shorthands for constant(): a 1-D int64 tensor, and a float32 scalar.
    std::string ints(const std::string& hint, const std::vector<int64_t>& values);
    std::string scalar(const std::string& hint, float value);
    /// Appends a node with one output, a temporary() named after `hint`, and returns that output.
    std::string apply(const std::string& opType, const std::vector<std::string>& inputs, const std::string& hint,
        const std::vector<OnnxAttribute>& attributes = {});
    /// Rows [begin, begin + count) of the parameter `name` (its first dimension), transposed when
    /// `transpose` (a 2-D weight for MatMul: x · Wᵀ). The parameter goes out whole under its own name
    /// with Slice/Transpose nodes after it (runtimes fold them), so that the file keeps every tensor
    /// as LibTorch has it and an export opens again with its weights (engine/import/ExportedProject.h).
    std::string parameterRows(const std::string& name, int64_t begin, int64_t count, bool transpose);
};

} // namespace netdraft::engine
