#include "engine/layers/PiecesLayer.h"

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/DimensionParam.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

LayerDescription piecesDescription(const char* type, const char* help, ParamSpec countParam)
{
    const std::string countName = countParam.name;
    LayerDescription description { type, type, category::kReshape, help,
        { std::move(countParam),
            ParamSpec::integer("dim", 1).onBlock().help(
                "Dimension to cut (1 or higher; the batch is 0); negative values count from the end.") } };
    description.outputCountParam = countName;
    return description;
}

/// The size of dimension `dim` (negative: from the end) of `input`.
int64_t cutSize(const Shape& input, int64_t dim)
{
    return input[dim < 0 ? dim + input.rank() : dim];
}

} // namespace

PiecesLayer::PiecesLayer(
    const char* type, const char* help, ParamSpec countParam, std::string pythonFunction, std::string scriptFunction)
    : LayerType(piecesDescription(type, help, std::move(countParam)))
    , pythonFunction_(std::move(pythonFunction))
    , scriptFunction_(std::move(scriptFunction))
{
}

void PiecesLayer::inferShape(InferenceContext& context) const
{
    const auto dim = resolveDimension(context, "dim", false);
    if (!dim)
        return;
    const Shape& input = context.input();
    const IntList sizes = pieceSizes(context.params(), input[*dim]);
    if (!checkPieces(context, input, *dim, sizes))
        return;
    std::vector<Shape> outputs;
    for (int64_t size : sizes) {
        std::vector<int64_t> dims = input.dims();
        dims[*dim] = size;
        outputs.emplace_back(dims);
    }
    context.setOutputs(std::move(outputs));
}

BuiltBlock PiecesLayer::build(const BuildContext& context) const
{
    const int64_t dim = context.params.integer("dim");
    const IntList sizes = pieceSizes(context.params, cutSize(context.inputs.at(0), dim));
    BuiltBlock built; // torch.chunk is split_with_sizes with the sizes pieceSizes gives
    built.forwardOutputs
        = [sizes, dim](const std::vector<torch::Tensor>& in) { return in[0].split_with_sizes(sizes, dim); };
    return built;
}

std::string PiecesLayer::countArgument(const ParamReader& params) const
{
    const std::string& name = description().outputCountParam;
    return description().findParam(name)->kind == ParamKind::Int ? std::to_string(params.integer(name))
                                                                 : python::list(params.list(name));
}

std::optional<PythonCode> PiecesLayer::pythonCode(
    const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const
{
    return PythonCode { {},
        "torch." + pythonFunction_ + "(" + python::firstInput(inputs) + ", " + countArgument(context.params)
            + ", dim=" + std::to_string(context.params.integer("dim")) + ")" };
}

std::optional<std::string> PiecesLayer::torchScriptBody(const BuildContext& context) const
{
    return "return torch." + scriptFunction_ + "(x0, " + countArgument(context.params) + ", "
        + std::to_string(context.params.integer("dim")) + ")";
}

bool PiecesLayer::onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
{
    const int64_t dim = context.params.integer("dim");
    const IntList sizes = pieceSizes(context.params, cutSize(context.inputs.at(0), dim));
    onnx.node("Split", { onnx.inputs().at(0), onnx.ints("sizes", sizes) }, onnx.outputs(), { { "axis", dim } });
    return true;
}

} // namespace netdraft::engine
