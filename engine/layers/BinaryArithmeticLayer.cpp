#include "engine/layers/BinaryArithmeticLayer.h"

#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {

std::optional<Shape> broadcastInputs(InferenceContext& context, const std::string& type)
{
    const Shape& a = context.input(0);
    const Shape& b = context.input(1);
    if (a.rank() != b.rank()) {
        context.error(type + " needs inputs of equal rank to broadcast: in1 is " + a.toString() + " (rank "
            + std::to_string(a.rank()) + ") but in2 is " + b.toString() + " (rank " + std::to_string(b.rank())
            + "); an Unsqueeze can add the missing dimension of size 1");
        return std::nullopt;
    }
    std::vector<int64_t> dims = a.dims();
    for (int64_t i = 1; i < a.rank(); ++i) {
        if (a[i] == b[i] || b[i] == 1)
            continue;
        if (a[i] != 1) {
            context.error(type + " cannot broadcast in1 " + a.toString() + " with in2 " + b.toString() + ": dimension "
                + std::to_string(i) + " is " + std::to_string(a[i]) + " vs " + std::to_string(b[i])
                + " (sizes must be equal, or one of them 1)");
            return std::nullopt;
        }
        dims[static_cast<size_t>(i)] = b[i];
    }
    return Shape(dims);
}

BinaryArithmeticLayer::BinaryArithmeticLayer(std::string type, std::string help, std::string symbol,
    std::string onnxOperator, std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)> apply)
    : LayerType({ type, type, category::kArithmetic, std::move(help), {}, { "in1", "in2" } })
    , symbol_(std::move(symbol))
    , onnxOperator_(std::move(onnxOperator))
    , apply_(std::move(apply))
{
}

void BinaryArithmeticLayer::inferShape(InferenceContext& context) const
{
    if (auto shape = broadcastInputs(context, type()))
        context.setOutput(*shape);
}

BuiltBlock BinaryArithmeticLayer::build(const BuildContext&) const
{
    return { nullptr, [apply = apply_](const std::vector<torch::Tensor>& in) { return apply(in[0], in[1]); } };
}

std::optional<PythonCode> BinaryArithmeticLayer::pythonCode(
    const BuildContext&, const std::string&, const std::vector<std::string>& inputs) const
{
    return PythonCode { {}, python::operand(inputs.at(0)) + " " + symbol_ + " " + python::operand(inputs.at(1)) };
}

std::optional<std::string> BinaryArithmeticLayer::torchScriptBody(const BuildContext&) const
{
    return "return x0 " + symbol_ + " x1";
}

bool BinaryArithmeticLayer::onnxNodes(const BuildContext&, OnnxBuilder& onnx) const
{
    onnx.node(onnxOperator_, onnx.inputs(), { onnx.output() });
    return true;
}

} // namespace netdraft::engine
