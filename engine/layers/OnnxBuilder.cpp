#include "engine/layers/OnnxBuilder.h"

namespace netdraft::engine {

OnnxTensorValues OnnxTensorValues::ofFloats(std::vector<int64_t> dims, std::vector<float> values)
{
    OnnxTensorValues tensor;
    tensor.dims = std::move(dims);
    tensor.floats = std::move(values);
    return tensor;
}

OnnxTensorValues OnnxTensorValues::ofInts(std::vector<int64_t> dims, std::vector<int64_t> values)
{
    OnnxTensorValues tensor;
    tensor.dims = std::move(dims);
    tensor.ints = std::move(values);
    tensor.isInt64 = true;
    return tensor;
}

int64_t OnnxTensorValues::elementCount() const
{
    int64_t count = 1;
    for (int64_t size : dims)
        count *= size;
    return count;
}

std::string OnnxBuilder::ints(const std::string& hint, const std::vector<int64_t>& values)
{
    return constant(hint, OnnxTensorValues::ofInts({ static_cast<int64_t>(values.size()) }, values));
}

std::string OnnxBuilder::scalar(const std::string& hint, float value)
{
    return constant(hint, OnnxTensorValues::ofFloats({}, { value }));
}

std::string OnnxBuilder::apply(const std::string& opType, const std::vector<std::string>& inputs,
    const std::string& hint, const std::vector<OnnxAttribute>& attributes)
{
    std::string result = temporary(hint);
    node(opType, inputs, { result }, attributes);
    return result;
}

std::string OnnxBuilder::parameterRows(const std::string& name, int64_t begin, int64_t count, bool transpose)
{
    std::string value = parameter(name);
    const std::vector<int64_t> dims = parameterDims(name);
    const std::string hint = name + "_" + std::to_string(begin);
    if (begin != 0 || count != dims.at(0))
        value = apply("Slice",
            { value, ints(hint + "_start", { begin }), ints(hint + "_end", { begin + count }), ints(hint + "_axis", { 0 }) },
            hint + "_rows");
    if (transpose)
        value = apply("Transpose", { value }, hint + "_t", { { "perm", std::vector<int64_t> { 1, 0 } } });
    return value;
}

} // namespace netdraft::engine
