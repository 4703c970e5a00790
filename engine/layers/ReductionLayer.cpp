#include "engine/layers/ReductionLayer.h"

#include "engine/layers/DimensionParam.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

#include <algorithm>

namespace netdraft::engine {

ReductionLayer::ReductionLayer(std::string type, std::string help, Reduction reduction)
    : LayerType({ type, type, category::kArithmetic, std::move(help),
        { ParamSpec::intList("dims", { -1 })
                .onBlock()
                .help("Dimensions to reduce (1 or higher; the batch is 0), e.g. [2, 3] for the height and "
                      "width of N×C×H×W; negative values count from the end."),
            ParamSpec::boolean("keepdim", false)
                .help("Keep each reduced dimension with size 1 (N×C×1×1) instead of removing it (N×C).") } })
    , reduction_(std::move(reduction))
{
}

void ReductionLayer::inferShape(InferenceContext& context) const
{
    const Shape& input = context.input();
    const IntList dims = context.params().list("dims");
    if (dims.empty()) {
        context.error("dims must name at least one dimension to reduce");
        return;
    }
    std::vector<bool> reduced(static_cast<size_t>(input.rank()), false);
    for (int64_t dim : dims) {
        const auto resolved = resolveDimension(context, "dims", dim, input, false);
        if (!resolved)
            return;
        if (reduced[static_cast<size_t>(*resolved)]) {
            context.error("dims " + python::list(dims) + " names dimension " + std::to_string(*resolved) + " of "
                + input.toString() + " twice");
            return;
        }
        reduced[static_cast<size_t>(*resolved)] = true;
    }
    const bool keep = context.params().boolean("keepdim");
    std::vector<int64_t> output;
    for (int64_t i = 0; i < input.rank(); ++i) {
        if (!reduced[static_cast<size_t>(i)])
            output.push_back(input[i]);
        else if (keep)
            output.push_back(1);
    }
    context.setOutput(Shape(output));
}

BuiltBlock ReductionLayer::build(const BuildContext& context) const
{
    const IntList dims = context.params.list("dims");
    const bool keep = context.params.boolean("keepdim");
    return { nullptr,
        [apply = reduction_.apply, dims, keep](const std::vector<torch::Tensor>& in) { return apply(in[0], dims, keep); } };
}

std::optional<PythonCode> ReductionLayer::pythonCode(
    const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const
{
    return PythonCode { {},
        "torch." + reduction_.torchFunction + "(" + python::firstInput(inputs) + ", dim="
            + python::tuple(context.params.list("dims")) + ", keepdim="
            + python::boolean(context.params.boolean("keepdim")) + ")" };
}

std::optional<std::string> ReductionLayer::torchScriptBody(const BuildContext& context) const
{
    return "return torch." + reduction_.torchFunction + "(x0, " + python::list(context.params.list("dims")) + ", "
        + python::boolean(context.params.boolean("keepdim")) + ")";
}

bool ReductionLayer::onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
{
    const IntList dims = context.params.list("dims");
    const int64_t keep = context.params.boolean("keepdim") ? 1 : 0;
    if (reduction_.onnxAxesAsInput)
        onnx.node(reduction_.onnxOperator, { onnx.inputs().at(0), onnx.ints("axes", dims) }, { onnx.output() },
            { { "keepdims", keep } });
    else
        onnx.node(reduction_.onnxOperator, { onnx.inputs().at(0) }, { onnx.output() },
            { { "axes", dims }, { "keepdims", keep } });
    return true;
}

} // namespace netdraft::engine
