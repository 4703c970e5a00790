#include "engine/import/OnnxOpaque.h"

#include <sstream>

namespace netdraft::engine {

namespace {

/// At most this many values of a list or constant are written out; the rest are counted.
constexpr int kShownValues = 8;

template <typename Items> std::string listText(const Items& items, int count)
{
    std::ostringstream text;
    text << "[";
    for (int i = 0; i < count && i < kShownValues; ++i)
        text << (i ? ", " : "") << items.Get(i);
    if (count > kShownValues)
        text << ", … " << count - kShownValues << " more";
    text << "]";
    return text.str();
}

/// "N×3×32×32" (N: the batch), "4×6"; `empty` for a value without dims.
std::string dimsText(const std::vector<int64_t>& dims, bool batchFirst, const char* empty = "?")
{
    if (dims.empty())
        return empty;
    std::string text;
    for (size_t i = 0; i < dims.size(); ++i) {
        text += i ? "×" : "";
        text += batchFirst && i == 0 ? "N" : dims[i] < 0 ? "?" : std::to_string(dims[i]);
    }
    return text;
}

std::string attributeText(const onnx::AttributeProto& attribute)
{
    switch (attribute.type()) {
    case onnx::AttributeProto::FLOAT: {
        std::ostringstream text;
        text << attribute.f();
        return text.str();
    }
    case onnx::AttributeProto::INT:
        return std::to_string(attribute.i());
    case onnx::AttributeProto::STRING:
        return "'" + attribute.s() + "'";
    case onnx::AttributeProto::FLOATS:
        return listText(attribute.floats(), attribute.floats_size());
    case onnx::AttributeProto::INTS:
        return listText(attribute.ints(), attribute.ints_size());
    case onnx::AttributeProto::STRINGS:
        return listText(attribute.strings(), attribute.strings_size());
    case onnx::AttributeProto::TENSOR: {
        std::vector<int64_t> dims(attribute.t().dims().begin(), attribute.t().dims().end());
        return "tensor " + dimsText(dims, false);
    }
    case onnx::AttributeProto::GRAPH:
    case onnx::AttributeProto::GRAPHS:
        return "(a subgraph)";
    default:
        return "(" + onnx::AttributeProto::AttributeType_Name(attribute.type()) + ")";
    }
}

/// A constant input: its dims, and its values when there are few.
std::string constantText(const torch::Tensor& tensor)
{
    std::ostringstream text;
    text << "constant "
         << dimsText(std::vector<int64_t>(tensor.sizes().begin(), tensor.sizes().end()), false, "scalar");
    if (tensor.numel() <= kShownValues) {
        const torch::Tensor flat = tensor.to(torch::kDouble).flatten();
        text << " = [";
        for (int64_t i = 0; i < flat.numel(); ++i)
            text << (i ? ", " : "") << flat[i].item<double>();
        text << "]";
    }
    return text.str();
}

} // namespace

std::optional<UnsupportedOperator> describeOnnxOperator(
    const onnx::NodeProto& node, const OnnxValues& values, const std::string& kind)
{
    if (node.output_size() < 1 || node.output(0).empty())
        return std::nullopt;
    const std::vector<int64_t> output = values.dims(node.output(0));
    if (output.size() < 2)
        return std::nullopt;
    UnsupportedOperator unsupported;
    unsupported.format = "ONNX";
    unsupported.opType = kind;
    unsupported.nodeName = node.name();
    for (size_t i = 1; i < output.size(); ++i) {
        if (output[i] < 1)
            return std::nullopt;
        unsupported.outputShape.push_back(output[i]);
    }
    std::string attributes;
    for (const onnx::AttributeProto& attribute : node.attribute())
        attributes += (attributes.empty() ? "" : "; ") + attribute.name() + "=" + attributeText(attribute);
    std::string inputs;
    for (int i = 0; i < node.input_size(); ++i) {
        const std::string& name = node.input(i);
        if (name.empty())
            continue;
        const std::optional<torch::Tensor> constant = values.constant(name);
        if (constant)
            attributes += (attributes.empty() ? "" : "; ") + std::string("input ") + std::to_string(i + 1) + " '" + name
                + "'=" + constantText(*constant);
        inputs += (inputs.empty() ? "" : ", ")
            + (constant ? dimsText(
                   std::vector<int64_t>(constant->sizes().begin(), constant->sizes().end()), false, "scalar")
                        : dimsText(values.dims(name), true));
    }
    unsupported.attributes = attributes;
    unsupported.inputShapes = inputs;
    return unsupported;
}

} // namespace netdraft::engine
