#include "engine/layers/DropoutLayer.h"

#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {

DropoutLayer::DropoutLayer(std::string type, std::string help, int64_t rank, std::string layout)
    : LayerType({ type, type, category::kRegularization, std::move(help),
        { ParamSpec::real("p", 0.5).min(0).max(1).onBlock().help(
            "Probability of zeroing each element while training.") } })
    , rank_(rank)
    , layout_(std::move(layout))
{
}

void DropoutLayer::inferShape(InferenceContext& context) const
{
    if (rank_ > 0 && !context.requireRank(0, rank_, layout_))
        return;
    context.setOutput(context.input());
}

std::optional<PythonCode> DropoutLayer::pythonCode(
    const BuildContext& context, const std::string& attribute, const std::vector<std::string>& inputs) const
{
    return PythonCode { "nn." + type() + "(p=" + python::real(context.params.real("p")) + ")",
        "self." + attribute + "(" + python::firstInput(inputs) + ")" };
}

std::optional<std::string> DropoutLayer::torchScriptBody(const BuildContext& context) const
{
    (void)context;
    return std::string("return x0");
}

bool DropoutLayer::onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
{
    (void)context;
    onnx.passThrough(onnx.inputs().at(0));
    return true;
}

} // namespace netdraft::engine
