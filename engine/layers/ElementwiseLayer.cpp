#include "engine/layers/ElementwiseLayer.h"

#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {

void ElementwiseLayer::inferShape(InferenceContext& context) const
{
    checkInput(context);
    context.setOutput(context.input());
}

BuiltBlock ElementwiseLayer::build(const BuildContext& context) const
{
    auto apply = function(context.params).apply;
    return { nullptr, [apply](const std::vector<torch::Tensor>& in) { return apply(in.at(0)); } };
}

std::optional<PythonCode> ElementwiseLayer::pythonCode(
    const BuildContext& context, const std::string& attribute, const std::vector<std::string>& inputs) const
{
    (void)attribute;
    return PythonCode { {}, substituteInput(function(context.params).python, python::firstInput(inputs)) };
}

std::optional<std::string> ElementwiseLayer::torchScriptBody(const BuildContext& context) const
{
    return "return " + substituteInput(function(context.params).torchScript, "x0");
}

bool ElementwiseLayer::onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
{
    const auto write = function(context.params).onnx;
    if (!write)
        return false;
    write(onnx);
    return true;
}

std::function<void(OnnxBuilder& onnx)> onnxSingleNode(std::string opType, std::vector<OnnxAttribute> attributes)
{
    return [opType, attributes](
               OnnxBuilder& onnx) { onnx.node(opType, { onnx.inputs().at(0) }, { onnx.output() }, attributes); };
}

std::string substituteInput(const std::string& code, const std::string& input)
{
    std::string text;
    for (size_t i = 0; i < code.size(); ++i) {
        if (code.compare(i, 2, "$x") == 0) {
            text += input;
            ++i;
        } else {
            text += code[i];
        }
    }
    return text;
}

} // namespace netdraft::engine
