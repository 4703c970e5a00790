#include "engine/io/OnnxProto.h"

#include "engine/core/Error.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <cstring>
#include <type_traits>

namespace netdraft::engine::onnxproto {

namespace {

template <typename T> std::string rawBytes(const std::vector<T>& values)
{
    static_assert(std::is_trivially_copyable_v<T>);
    std::string bytes(values.size() * sizeof(T), '\0');
    if (!values.empty())
        std::memcpy(bytes.data(), values.data(), bytes.size());
    return bytes; // little-endian hosts only, as ONNX's raw_data is
}

template <typename T, typename Repeated>
std::vector<T> readValues(
    const onnx::TensorProto& tensor, const Repeated& typed, uint64_t count, const std::string& where)
{
    std::vector<T> values;
    if (tensor.has_raw_data()) {
        ND_CHECK(tensor.raw_data().size() == count * sizeof(T), where, ": tensor ", tensor.name(), " holds ",
            tensor.raw_data().size(), " bytes of data but its dims need ", count * sizeof(T));
        values.resize(count);
        if (count > 0)
            std::memcpy(values.data(), tensor.raw_data().data(), tensor.raw_data().size());
        return values;
    }
    ND_CHECK(static_cast<uint64_t>(typed.size()) == count, where, ": tensor ", tensor.name(), " holds ", typed.size(),
        " values but its dims need ", count);
    values.assign(typed.begin(), typed.end());
    return values;
}

} // namespace

onnx::TensorProto tensorProto(const std::string& name, const OnnxTensorValues& values)
{
    const size_t count = values.isInt64 ? values.ints.size() : values.floats.size();
    ND_CHECK(static_cast<int64_t>(count) == values.elementCount(), "ONNX initializer ", name, " has ", count,
        " values for dims of ", values.elementCount());
    onnx::TensorProto tensor;
    tensor.set_name(name);
    tensor.set_data_type(values.isInt64 ? onnx::TensorProto::INT64 : onnx::TensorProto::FLOAT);
    for (int64_t size : values.dims)
        tensor.add_dims(size);
    tensor.set_raw_data(values.isInt64 ? rawBytes(values.ints) : rawBytes(values.floats));
    return tensor;
}

OnnxTensorValues tensorValues(const onnx::TensorProto& tensor, const std::string& where)
{
    OnnxTensorValues values;
    uint64_t count = 1;
    for (int64_t size : tensor.dims()) {
        ND_CHECK(
            size >= 0 && size <= (int64_t(1) << 40), where, ": tensor ", tensor.name(), " has a dimension of ", size);
        values.dims.push_back(size);
        count *= static_cast<uint64_t>(size);
        ND_CHECK(count <= (uint64_t(1) << 40), where, ": tensor ", tensor.name(), " has too many elements");
    }
    ND_CHECK(tensor.data_location() != onnx::TensorProto::EXTERNAL, where, ": tensor ", tensor.name(),
        " keeps its data in an external file, which is not supported");
    if (tensor.data_type() == onnx::TensorProto::FLOAT) {
        values.floats = readValues<float>(tensor, tensor.float_data(), count, where);
    } else if (tensor.data_type() == onnx::TensorProto::INT64) {
        values.isInt64 = true;
        values.ints = readValues<int64_t>(tensor, tensor.int64_data(), count, where);
    } else {
        ND_CHECK(false, where, ": tensor ", tensor.name(), " has element type ", tensor.data_type(),
            "; float32 and int64 are supported");
    }
    return values;
}

void addAttribute(onnx::NodeProto& node, const OnnxAttribute& attribute)
{
    onnx::AttributeProto& proto = *node.add_attribute();
    proto.set_name(attribute.name);
    std::visit(
        [&proto](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, int64_t>) {
                proto.set_type(onnx::AttributeProto::INT);
                proto.set_i(value);
            } else if constexpr (std::is_same_v<T, double>) {
                proto.set_type(onnx::AttributeProto::FLOAT);
                proto.set_f(static_cast<float>(value));
            } else if constexpr (std::is_same_v<T, std::string>) {
                proto.set_type(onnx::AttributeProto::STRING);
                proto.set_s(value);
            } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
                proto.set_type(onnx::AttributeProto::INTS);
                for (int64_t item : value)
                    proto.add_ints(item);
            } else if constexpr (std::is_same_v<T, std::vector<double>>) {
                proto.set_type(onnx::AttributeProto::FLOATS);
                for (double item : value)
                    proto.add_floats(static_cast<float>(item));
            } else {
                proto.set_type(onnx::AttributeProto::STRINGS);
                for (const std::string& item : value)
                    proto.add_strings(item);
            }
        },
        attribute.value);
}

void setTensorType(
    onnx::ValueInfoProto& value, int32_t elementType, const std::vector<int64_t>& dims, const std::string& batchName)
{
    onnx::TypeProto::Tensor& tensor = *value.mutable_type()->mutable_tensor_type();
    tensor.set_elem_type(elementType);
    onnx::TensorShapeProto& shape = *tensor.mutable_shape();
    shape.clear_dim();
    for (int64_t size : dims) {
        onnx::TensorShapeProto::Dimension& dim = *shape.add_dim();
        if (size < 0)
            dim.set_dim_param(batchName);
        else
            dim.set_dim_value(size);
    }
}

std::vector<int64_t> tensorDims(const onnx::ValueInfoProto& value)
{
    std::vector<int64_t> dims;
    if (!value.type().has_tensor_type() || !value.type().tensor_type().has_shape())
        return dims;
    for (const auto& dim : value.type().tensor_type().shape().dim())
        dims.push_back(dim.has_dim_value() ? dim.dim_value() : -1);
    return dims;
}

void checkModel(onnx::ModelProto& model)
{
    try {
        onnx::checker::check_model(model);
    } catch (const std::exception& error) {
        ND_CHECK(false, "the ONNX checker refuses the model: ", error.what());
    }
    inferShapes(model);
}

void inferShapes(onnx::ModelProto& model)
{
    try {
        onnx::shape_inference::InferShapes(
            model, onnx::OpSchemaRegistry::Instance(), onnx::ShapeInferenceOptions(true, 1, true));
    } catch (const std::exception& error) {
        ND_CHECK(false, "ONNX shape inference fails on the model: ", error.what());
    }
}

std::string serializeModel(const onnx::ModelProto& model)
{
    const size_t bytes = model.ByteSizeLong();
    ND_CHECK(bytes <= kMaxModelBytes, "the ONNX model would be ", bytes / (1024 * 1024),
        " MiB; protobuf cannot write 2 GiB or more in one file. Export a smaller network, or use TorchScript.");
    std::string result;
    ND_CHECK(model.SerializeToString(&result), "serialising the ONNX model failed");
    return result;
}

onnx::ModelProto parseModel(const std::string& bytes, const std::string& sourceName)
{
    ND_CHECK(
        bytes.size() <= kMaxModelBytes, sourceName, ": ", bytes.size(), " bytes is larger than an ONNX file can be");
    onnx::ModelProto model;
    ND_CHECK(model.ParseFromString(bytes), sourceName, ": not an ONNX model (the protobuf does not parse)");
    return model;
}

} // namespace netdraft::engine::onnxproto
