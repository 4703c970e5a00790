// Split: cuts one dimension into pieces of given sizes, one output port per piece.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/DimensionParam.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

#include <numeric>

namespace netdraft::engine {
namespace {

LayerDescription splitDescription()
{
    LayerDescription description { "Split", "Split", category::kReshape,
        "Cuts one dimension into pieces of the given sizes, one output port per piece (out1, out2, ...), "
        "e.g. the 3·C features of one Linear into query, key and value with sizes [C, C, C]. The sizes must "
        "add up to the size of dim. For equal pieces see Chunk.",
        { ParamSpec::intList("sizes", { 1, 1 })
                .min(1)
                .onBlock()
                .help("Size of each piece along dim, one output port each; they must add up to the size of dim."),
            ParamSpec::integer("dim", 1).onBlock().help(
                "Dimension to cut (1 or higher; the batch is 0); negative values count from the end.") } };
    description.outputCountParam = "sizes";
    return description;
}

class SplitLayer : public LayerType {
public:
    SplitLayer() : LayerType(splitDescription()) {}

    void inferShape(InferenceContext& context) const override
    {
        const auto dim = resolveDimension(context, "dim", false);
        if (!dim)
            return;
        const IntList sizes = context.params().list("sizes");
        const Shape& input = context.input();
        const int64_t total = std::accumulate(sizes.begin(), sizes.end(), int64_t(0));
        if (total != input[*dim]) {
            context.error("sizes " + python::list(sizes) + " add up to " + std::to_string(total) + " but dim "
                + std::to_string(*dim) + " of " + input.toString() + " has size " + std::to_string(input[*dim]));
            return;
        }
        std::vector<Shape> outputs;
        for (int64_t size : sizes) {
            std::vector<int64_t> dims = input.dims();
            dims[*dim] = size;
            outputs.emplace_back(dims);
        }
        context.setOutputs(std::move(outputs));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const IntList sizes = context.params.list("sizes");
        const int64_t dim = context.params.integer("dim");
        BuiltBlock built;
        built.forwardOutputs
            = [sizes, dim](const std::vector<torch::Tensor>& in) { return in[0].split_with_sizes(sizes, dim); };
        return built;
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {},
            "torch.split(" + python::firstInput(inputs) + ", " + python::list(context.params.list("sizes"))
                + ", dim=" + std::to_string(context.params.integer("dim")) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return torch.split_with_sizes(x0, " + python::list(context.params.list("sizes")) + ", "
            + std::to_string(context.params.integer("dim")) + ")";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        onnx.node("Split", { onnx.inputs().at(0), onnx.ints("sizes", context.params.list("sizes")) }, onnx.outputs(),
            { { "axis", context.params.integer("dim") } });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(SplitLayer);

} // namespace
} // namespace netdraft::engine
