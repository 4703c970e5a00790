#include "engine/import/OnnxValues.h"

#include "engine/core/Error.h"
#include "engine/io/OnnxProto.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

namespace netdraft::engine {

namespace {

const onnx::AttributeProto* findAttribute(const onnx::NodeProto& node, const std::string& name)
{
    for (const onnx::AttributeProto& attribute : node.attribute())
        if (attribute.name() == name)
            return &attribute;
    return nullptr;
}

torch::Tensor tensorOf(const OnnxTensorValues& values)
{
    const torch::ScalarType type = values.isInt64 ? torch::kLong : torch::kFloat;
    torch::Tensor tensor = torch::empty(values.dims, torch::TensorOptions().dtype(type));
    const size_t bytes = values.isInt64 ? values.ints.size() * sizeof(int64_t) : values.floats.size() * sizeof(float);
    if (bytes > 0)
        std::memcpy(tensor.data_ptr(),
            values.isInt64 ? static_cast<const void*>(values.ints.data()) : values.floats.data(), bytes);
    return tensor;
}

/// The tensor of an initializer or Constant: float32 and int64 through onnxproto::tensorValues (the
/// export's reader), the other integer types (int32 axes, bool masks) as int64, float64 as float32.
torch::Tensor tensorOf(const onnx::TensorProto& proto, const std::string& where)
{
    const int32_t type = proto.data_type();
    if (type == onnx::TensorProto::FLOAT || type == onnx::TensorProto::INT64)
        return tensorOf(onnxproto::tensorValues(proto, where));
    static const std::map<int32_t, std::pair<torch::ScalarType, size_t>> others {
        { onnx::TensorProto::INT32, { torch::kInt, 4 } }, { onnx::TensorProto::INT16, { torch::kShort, 2 } },
        { onnx::TensorProto::INT8, { torch::kChar, 1 } }, { onnx::TensorProto::UINT8, { torch::kByte, 1 } },
        { onnx::TensorProto::BOOL, { torch::kBool, 1 } }, { onnx::TensorProto::DOUBLE, { torch::kDouble, 8 } }
    };
    auto found = others.find(type);
    ND_CHECK(found != others.end(), where, ": tensor '", proto.name(), "' has element type ", type,
        ", which the import does not read");
    ND_CHECK(proto.data_location() != onnx::TensorProto::EXTERNAL, where, ": tensor '", proto.name(),
        "' keeps its data in an external file, which is not supported");
    uint64_t count = 1;
    std::vector<int64_t> dims;
    for (int64_t size : proto.dims()) {
        ND_CHECK(
            size >= 0 && size <= (int64_t(1) << 40), where, ": tensor '", proto.name(), "' has a dimension of ", size);
        count *= static_cast<uint64_t>(size);
        ND_CHECK(count <= (uint64_t(1) << 40), where, ": tensor '", proto.name(), "' has too many elements");
        dims.push_back(size);
    }
    const auto [scalarType, elementBytes] = found->second;
    torch::Tensor tensor;
    if (proto.has_raw_data()) {
        ND_CHECK(proto.raw_data().size() == count * elementBytes, where, ": tensor '", proto.name(), "' holds ",
            proto.raw_data().size(), " bytes of data but its dims need ", count * elementBytes);
        tensor = torch::empty(dims, torch::TensorOptions().dtype(scalarType));
        if (count > 0)
            std::memcpy(tensor.data_ptr(), proto.raw_data().data(), proto.raw_data().size());
    } else if (type == onnx::TensorProto::DOUBLE) {
        ND_CHECK(static_cast<uint64_t>(proto.double_data_size()) == count, where, ": tensor '", proto.name(),
            "' holds ", proto.double_data_size(), " values but its dims need ", count);
        tensor
            = torch::tensor(std::vector<double>(proto.double_data().begin(), proto.double_data().end()), torch::kDouble)
                  .reshape(dims);
    } else {
        ND_CHECK(static_cast<uint64_t>(proto.int32_data_size()) == count, where, ": tensor '", proto.name(), "' holds ",
            proto.int32_data_size(), " values but its dims need ", count);
        tensor = torch::tensor(std::vector<int64_t>(proto.int32_data().begin(), proto.int32_data().end()), torch::kLong)
                     .reshape(dims);
    }
    return tensor.to(type == onnx::TensorProto::DOUBLE ? torch::kFloat : torch::kLong);
}

/// Folded operations on constants: what exporters write around reshapes and for constant weights.
const std::set<std::string>& foldableOnConstants()
{
    static const std::set<std::string> kinds { "Identity", "Cast", "Unsqueeze", "Squeeze", "Concat", "Gather",
        "Reshape", "Add", "Sub", "Mul", "Div", "Neg", "Transpose", "Slice", "Shape" };
    return kinds;
}

int64_t normalisedAxis(int64_t axis, int64_t rank, const std::string& where)
{
    ND_CHECK(axis >= -rank && axis < std::max<int64_t>(rank, 1), where, ": axis ", axis, " is outside ", rank,
        " dimensions");
    return axis < 0 ? axis + rank : axis;
}

} // namespace

bool onnxHas(const onnx::NodeProto& node, const std::string& name)
{
    return findAttribute(node, name) != nullptr;
}

int64_t onnxInt(const onnx::NodeProto& node, const std::string& name, int64_t fallback)
{
    const onnx::AttributeProto* attribute = findAttribute(node, name);
    return attribute ? attribute->i() : fallback;
}

double onnxFloat(const onnx::NodeProto& node, const std::string& name, double fallback)
{
    const onnx::AttributeProto* attribute = findAttribute(node, name);
    return attribute ? static_cast<double>(attribute->f()) : fallback;
}

IntList onnxInts(const onnx::NodeProto& node, const std::string& name, const IntList& fallback)
{
    const onnx::AttributeProto* attribute = findAttribute(node, name);
    return attribute ? IntList(attribute->ints().begin(), attribute->ints().end()) : fallback;
}

RealList onnxFloats(const onnx::NodeProto& node, const std::string& name)
{
    const onnx::AttributeProto* attribute = findAttribute(node, name);
    return attribute ? RealList(attribute->floats().begin(), attribute->floats().end()) : RealList {};
}

std::string onnxString(const onnx::NodeProto& node, const std::string& name, const std::string& fallback)
{
    const onnx::AttributeProto* attribute = findAttribute(node, name);
    return attribute ? attribute->s() : fallback;
}

std::vector<std::string> onnxStrings(const onnx::NodeProto& node, const std::string& name)
{
    const onnx::AttributeProto* attribute = findAttribute(node, name);
    return attribute ? std::vector<std::string>(attribute->strings().begin(), attribute->strings().end())
                     : std::vector<std::string> {};
}

OnnxValues::OnnxValues(const onnx::ModelProto& model, std::string sourceName)
    : sourceName_(std::move(sourceName))
{
    for (const onnx::OperatorSetIdProto& opset : model.opset_import())
        if (opset.domain().empty() || opset.domain() == "ai.onnx")
            opset_ = opset.version();
    const onnx::GraphProto& graph = model.graph();
    for (const onnx::TensorProto& tensor : graph.initializer())
        initializers_[tensor.name()] = &tensor;
    for (const auto* list : { &graph.input(), &graph.value_info(), &graph.output() })
        for (const onnx::ValueInfoProto& value : *list)
            if (value.type().has_tensor_type() && value.type().tensor_type().has_shape())
                dims_[value.name()] = onnxproto::tensorDims(value);
    for (const onnx::ValueInfoProto& input : graph.input())
        if (!initializers_.count(input.name())) {
            const std::vector<int64_t> inputDims = onnxproto::tensorDims(input);
            fixedBatch_ = inputDims.empty() ? -1 : inputDims.front();
            break;
        }
}

bool OnnxValues::isConstant(const std::string& name) const
{
    return initializers_.count(name) > 0 || constants_.count(name) > 0;
}

std::optional<torch::Tensor> OnnxValues::constant(const std::string& name) const
{
    if (auto found = constants_.find(name); found != constants_.end())
        return found->second;
    auto found = initializers_.find(name);
    if (found == initializers_.end())
        return std::nullopt;
    torch::Tensor tensor = tensorOf(*found->second, sourceName_);
    constants_[name] = tensor;
    return tensor;
}

std::optional<OnnxSymbolicInts> OnnxValues::symbolic(const std::string& name) const
{
    if (auto found = symbolic_.find(name); found != symbolic_.end())
        return found->second;
    std::optional<torch::Tensor> tensor = constant(name);
    if (!tensor || tensor->dim() > 1 || tensor->scalar_type() != torch::kLong)
        return std::nullopt;
    OnnxSymbolicInts result;
    result.scalar = tensor->dim() == 0;
    const torch::Tensor flat = tensor->reshape({ -1 }).contiguous();
    result.items.assign(flat.data_ptr<int64_t>(), flat.data_ptr<int64_t>() + flat.numel());
    return result;
}

std::vector<int64_t> OnnxValues::dims(const std::string& name) const
{
    if (auto found = dims_.find(name); found != dims_.end())
        return found->second;
    if (std::optional<torch::Tensor> tensor = constant(name))
        return std::vector<int64_t>(tensor->sizes().begin(), tensor->sizes().end());
    return {};
}

torch::Tensor OnnxValues::requireConstant(const onnx::NodeProto& node, int index) const
{
    ND_CHECK(index < node.input_size(), sourceName_, ": node ", node.name(), " (", node.op_type(), ") lacks input ",
        index + 1);
    std::optional<torch::Tensor> tensor = constant(node.input(index));
    ND_CHECK(tensor, sourceName_, ": node ", node.name(), " (", node.op_type(), "): input '", node.input(index),
        "' is not a constant");
    return *tensor;
}

bool OnnxValues::fold(const onnx::NodeProto& node)
{
    const std::string& type = node.op_type();
    const std::string where = sourceName_ + ": node " + node.name() + " (" + type + ")";
    if (node.output_size() < 1)
        return false;
    if (type == "Constant") {
        torch::Tensor value;
        if (const onnx::AttributeProto* tensor = findAttribute(node, "value"); tensor && tensor->has_t())
            value = tensorOf(tensor->t(), where);
        else if (const onnx::AttributeProto* number = findAttribute(node, "value_float"))
            value = torch::tensor(number->f());
        else if (const onnx::AttributeProto* numbers = findAttribute(node, "value_floats"))
            value = torch::tensor(std::vector<float>(numbers->floats().begin(), numbers->floats().end()));
        else if (const onnx::AttributeProto* integer = findAttribute(node, "value_int"))
            value = torch::tensor(integer->i(), torch::kLong);
        else if (const onnx::AttributeProto* integers = findAttribute(node, "value_ints"))
            value = torch::tensor(std::vector<int64_t>(integers->ints().begin(), integers->ints().end()), torch::kLong);
        else
            ND_CHECK(false, where, ": a constant of a kind the import does not read");
        constants_[node.output(0)] = value;
        return true;
    }
    if (foldZeros(node))
        return true;
    if (!foldableOnConstants().count(type))
        return false;
    if (type == "Shape" && !isConstant(node.input(0))) { // the sizes of a data tensor
        std::vector<int64_t> sizes = dims(node.input(0));
        if (sizes.empty())
            return false;
        OnnxSymbolicInts result;
        for (size_t i = 0; i < sizes.size(); ++i)
            result.items.push_back(i == 0 ? kOnnxBatchSize : sizes[i] >= 0 ? sizes[i] : kOnnxUnknownSize);
        const int64_t rank = static_cast<int64_t>(sizes.size());
        int64_t start = std::clamp<int64_t>(onnxInt(node, "start", 0), -rank, rank);
        int64_t end = std::clamp<int64_t>(onnxInt(node, "end", rank), -rank, rank);
        start = start < 0 ? start + rank : start;
        end = end < 0 ? end + rank : end;
        result.items = std::vector<int64_t>(result.items.begin() + start, result.items.begin() + std::max(start, end));
        symbolic_[node.output(0)] = result;
        return true;
    }
    bool allConstant = true;
    bool anySymbolic = false;
    for (const std::string& input : node.input()) {
        if (input.empty())
            continue;
        anySymbolic = anySymbolic || isSymbolic(input);
        allConstant = allConstant && isConstant(input);
    }
    if (allConstant && node.input_size() > 0) {
        try {
            constants_[node.output(0)] = evaluate(node);
        } catch (const c10::Error& error) {
            ND_CHECK(false, where, ": its constants do not fit it: ", error.what_without_backtrace());
        }
        return true;
    }
    if (anySymbolic) {
        std::optional<OnnxSymbolicInts> result = evaluateSymbolic(node);
        if (!result)
            return false;
        symbolic_[node.output(0)] = *result;
        return true;
    }
    return false;
}

bool OnnxValues::isZeros(const std::string& name) const
{
    if (zeros_.count(name))
        return true;
    std::optional<torch::Tensor> value = constant(name);
    return value && (value->numel() == 0 || (*value == 0).all().item<bool>());
}

bool OnnxValues::foldZeros(const onnx::NodeProto& node)
{
    const std::string& type = node.op_type();
    if (type == "ConstantOfShape") {
        if (node.input_size() < 1 || (!isSymbolic(node.input(0)) && !isConstant(node.input(0))))
            return false;
        torch::Tensor filled = torch::zeros({ 1 });
        if (const onnx::AttributeProto* value = findAttribute(node, "value"); value && value->has_t())
            filled = tensorOf(value->t(), sourceName_);
        const std::string where = sourceName_ + ": node " + node.name() + " (ConstantOfShape)";
        ND_CHECK(filled.numel() == 1, where, ": its value is not one number");
        if (isSymbolic(node.input(0))) { // sized by the batch: only zeros are followed
            if (filled.item<double>() != 0)
                return false;
            zeros_.insert(node.output(0));
            return true;
        }
        const torch::Tensor shape = constant(node.input(0))->to(torch::kLong).reshape({ -1 }).contiguous();
        const std::vector<int64_t> sizes(shape.data_ptr<int64_t>(), shape.data_ptr<int64_t>() + shape.numel());
        int64_t count = 1;
        for (int64_t size : sizes) {
            ND_CHECK(size >= 0 && size <= (int64_t(1) << 24), where, ": a size of ", size);
            count *= size;
            ND_CHECK(count <= (int64_t(1) << 26), where, ": ", count, " values are too many to fold");
        }
        constants_[node.output(0)] = torch::full(sizes, filled.reshape({}).item(), filled.options());
        return true;
    }
    static const std::set<std::string> keepingZeros { "Slice", "Reshape", "Expand", "Identity", "Cast", "Unsqueeze",
        "Squeeze" };
    if (!keepingZeros.count(type) || node.input_size() < 1 || !zeros_.count(node.input(0)))
        return false;
    for (int i = 1; i < node.input_size(); ++i)
        if (!node.input(i).empty() && !isConstant(node.input(i)) && !isSymbolic(node.input(i)))
            return false;
    zeros_.insert(node.output(0));
    return true;
}

torch::Tensor OnnxValues::evaluate(const onnx::NodeProto& node) const
{
    const std::string& type = node.op_type();
    const std::string where = sourceName_ + ": node " + node.name() + " (" + type + ")";
    const torch::Tensor first = requireConstant(node, 0);
    if (type == "Identity")
        return first;
    if (type == "Shape")
        return torch::tensor(std::vector<int64_t>(first.sizes().begin(), first.sizes().end()), torch::kLong);
    if (type == "Cast") {
        const int64_t to = onnxInt(node, "to", 0);
        ND_CHECK(to == onnx::TensorProto::FLOAT || to == onnx::TensorProto::INT64 || to == onnx::TensorProto::INT32,
            where, ": a cast to element type ", to, ", which the import does not fold");
        return first.to(to == onnx::TensorProto::FLOAT ? torch::kFloat : torch::kLong);
    }
    if (type == "Neg")
        return -first;
    if (type == "Add" || type == "Sub" || type == "Mul" || type == "Div") {
        const torch::Tensor second = requireConstant(node, 1);
        if (type == "Add")
            return first + second;
        if (type == "Sub")
            return first - second;
        if (type == "Mul")
            return first * second;
        const bool integral = first.scalar_type() == torch::kLong && second.scalar_type() == torch::kLong;
        ND_CHECK(!integral || (second != 0).all().item<bool>(), where, ": division by zero");
        return integral ? torch::div(first, second, "trunc") : first / second;
    }
    if (type == "Transpose") {
        IntList permutation = onnxInts(node, "perm", {});
        if (permutation.empty())
            for (int64_t i = first.dim() - 1; i >= 0; --i)
                permutation.push_back(i);
        return first.permute(permutation).contiguous();
    }
    auto axesOf = [&](int index, IntList fallback) {
        if (node.input_size() > index && !node.input(index).empty()) {
            const torch::Tensor axes = requireConstant(node, index).to(torch::kLong).reshape({ -1 }).contiguous();
            return IntList(axes.data_ptr<int64_t>(), axes.data_ptr<int64_t>() + axes.numel());
        }
        return onnxInts(node, "axes", fallback);
    };
    if (type == "Unsqueeze") {
        IntList axes = axesOf(1, {});
        const int64_t rank = first.dim() + static_cast<int64_t>(axes.size());
        for (int64_t& axis : axes)
            axis = normalisedAxis(axis, rank, where);
        std::sort(axes.begin(), axes.end());
        torch::Tensor result = first;
        for (int64_t axis : axes)
            result = result.unsqueeze(axis);
        return result;
    }
    if (type == "Squeeze") {
        IntList axes = axesOf(1, {});
        if (axes.empty())
            return first.squeeze();
        for (int64_t& axis : axes)
            axis = normalisedAxis(axis, first.dim(), where);
        std::sort(axes.rbegin(), axes.rend());
        torch::Tensor result = first;
        for (int64_t axis : axes)
            result = result.squeeze(axis);
        return result;
    }
    if (type == "Concat") {
        std::vector<torch::Tensor> parts;
        for (int i = 0; i < node.input_size(); ++i)
            parts.push_back(requireConstant(node, i));
        return torch::cat(parts, normalisedAxis(onnxInt(node, "axis", 0), first.dim(), where));
    }
    if (type == "Gather") {
        const int64_t axis = normalisedAxis(onnxInt(node, "axis", 0), first.dim(), where);
        torch::Tensor indices = requireConstant(node, 1).to(torch::kLong);
        indices = torch::where(indices < 0, indices + first.size(axis), indices);
        ND_CHECK(indices.numel() == 0
                || (indices.min().item<int64_t>() >= 0 && indices.max().item<int64_t>() < first.size(axis)),
            where, ": an index is outside the gathered dimension");
        std::vector<int64_t> sizes(first.sizes().begin(), first.sizes().begin() + axis);
        sizes.insert(sizes.end(), indices.sizes().begin(), indices.sizes().end());
        sizes.insert(sizes.end(), first.sizes().begin() + axis + 1, first.sizes().end());
        return first.index_select(axis, indices.reshape({ -1 })).reshape(sizes);
    }
    if (type == "Reshape") {
        torch::Tensor shape = requireConstant(node, 1).to(torch::kLong).reshape({ -1 }).contiguous();
        std::vector<int64_t> sizes(shape.data_ptr<int64_t>(), shape.data_ptr<int64_t>() + shape.numel());
        for (size_t i = 0; i < sizes.size(); ++i)
            if (sizes[i] == 0 && static_cast<int64_t>(i) < first.dim())
                sizes[i] = first.size(static_cast<int64_t>(i));
        return first.reshape(sizes);
    }
    // Slice(data, starts, ends, axes, steps), opset 10 on
    ND_CHECK(type == "Slice" && node.input_size() >= 3, where, ": not folded");
    const torch::Tensor starts = requireConstant(node, 1).to(torch::kLong).reshape({ -1 });
    const torch::Tensor ends = requireConstant(node, 2).to(torch::kLong).reshape({ -1 });
    IntList axes = axesOf(3, {});
    if (axes.empty())
        for (int64_t i = 0; i < starts.numel(); ++i)
            axes.push_back(i);
    const torch::Tensor steps = node.input_size() > 4 && !node.input(4).empty()
        ? requireConstant(node, 4).to(torch::kLong).reshape({ -1 })
        : torch::ones({ starts.numel() }, torch::kLong);
    ND_CHECK(ends.numel() == starts.numel() && static_cast<int64_t>(axes.size()) == starts.numel()
            && steps.numel() == starts.numel(),
        where, ": starts, ends, axes and steps differ in length");
    torch::Tensor result = first;
    for (size_t i = 0; i < axes.size(); ++i) {
        const int64_t axis = normalisedAxis(axes[i], first.dim(), where);
        const int64_t step = steps[static_cast<int64_t>(i)].item<int64_t>();
        ND_CHECK(step == 1, where, ": only steps of 1 are folded");
        const int64_t size = first.size(axis);
        int64_t start = starts[static_cast<int64_t>(i)].item<int64_t>();
        int64_t end = ends[static_cast<int64_t>(i)].item<int64_t>();
        start = std::clamp<int64_t>(start < 0 ? start + size : start, 0, size);
        end = std::clamp<int64_t>(end < 0 ? end + size : end, 0, size);
        result = result.narrow(axis, start, std::max<int64_t>(end - start, 0));
    }
    return result;
}

std::optional<OnnxSymbolicInts> OnnxValues::evaluateSymbolic(const onnx::NodeProto& node) const
{
    const std::string& type = node.op_type();
    const std::string where = sourceName_ + ": node " + node.name() + " (" + type + ")";
    std::optional<OnnxSymbolicInts> first = symbolic(node.input(0));
    if (!first)
        return std::nullopt;
    if (type == "Identity" || type == "Cast")
        return first;
    if (type == "Gather" && !first->scalar && onnxInt(node, "axis", 0) == 0) {
        std::optional<OnnxSymbolicInts> indices = symbolic(node.input(1));
        if (!indices || isSymbolic(node.input(1)))
            return std::nullopt;
        OnnxSymbolicInts result;
        result.scalar = indices->scalar;
        const int64_t size = static_cast<int64_t>(first->items.size());
        for (int64_t index : indices->items) {
            index = index < 0 ? index + size : index;
            ND_CHECK(index >= 0 && index < size, where, ": index ", index, " is outside the ", size, " sizes");
            result.items.push_back(first->items[static_cast<size_t>(index)]);
        }
        return result;
    }
    if (type == "Unsqueeze" && first->scalar) {
        first->scalar = false;
        return first;
    }
    if (type == "Squeeze" && !first->scalar && first->items.size() == 1) {
        first->scalar = true;
        return first;
    }
    if ((type == "Add" || type == "Sub" || type == "Mul" || type == "Div") && node.input_size() == 2) {
        // Arithmetic on sizes, as torch writes c // groups for ShuffleNet's channel shuffle. A size
        // computed from the batch (or from a size the file does not say) stays unknown.
        const std::optional<OnnxSymbolicInts> second = symbolic(node.input(1));
        if (!second)
            return std::nullopt;
        const size_t count = std::max(first->items.size(), second->items.size());
        if ((first->items.size() != count && first->items.size() != 1)
            || (second->items.size() != count && second->items.size() != 1))
            return std::nullopt;
        OnnxSymbolicInts result;
        result.scalar = first->scalar && second->scalar;
        for (size_t i = 0; i < count; ++i) {
            const int64_t a = first->items[first->items.size() == 1 ? 0 : i];
            const int64_t b = second->items[second->items.size() == 1 ? 0 : i];
            if (a == kOnnxBatchSize || a == kOnnxUnknownSize || b == kOnnxBatchSize || b == kOnnxUnknownSize) {
                result.items.push_back(kOnnxUnknownSize);
                continue;
            }
            if (type == "Div")
                ND_CHECK(b != 0, where, ": division of sizes by zero");
            result.items.push_back(type == "Add" ? a + b : type == "Sub" ? a - b : type == "Mul" ? a * b : a / b);
        }
        return result;
    }
    if (type == "Slice" && !first->scalar && node.input_size() >= 3) {
        // Shape(x)[2:] and the like, as torch writes the sizes an interpolation keeps: a part of the sizes.
        auto single = [&](int index, int64_t fallback) -> std::optional<int64_t> {
            if (index >= node.input_size() || node.input(index).empty())
                return fallback;
            const std::optional<torch::Tensor> value = constant(node.input(index));
            if (!value || value->numel() != 1)
                return std::nullopt;
            return value->to(torch::kLong).item<int64_t>();
        };
        const std::optional<int64_t> start = single(1, 0), end = single(2, 0), axis = single(3, 0), step = single(4, 1);
        if (!start || !end || !axis || !step || (*axis != 0 && *axis != -1) || *step != 1)
            return std::nullopt;
        const int64_t size = static_cast<int64_t>(first->items.size());
        const int64_t from = std::clamp<int64_t>(*start < 0 ? *start + size : *start, 0, size);
        const int64_t to = std::clamp<int64_t>(*end < 0 ? *end + size : *end, 0, size);
        OnnxSymbolicInts result;
        if (to > from)
            result.items.assign(first->items.begin() + from, first->items.begin() + to);
        return result;
    }
    if (type == "Concat") {
        OnnxSymbolicInts result;
        for (const std::string& input : node.input()) {
            std::optional<OnnxSymbolicInts> part = symbolic(input);
            if (!part || part->scalar)
                return std::nullopt;
            result.items.insert(result.items.end(), part->items.begin(), part->items.end());
        }
        return result;
    }
    return std::nullopt;
}

} // namespace netdraft::engine
