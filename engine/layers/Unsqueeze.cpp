// Unsqueeze: inserts a dimension of size 1.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class UnsqueezeLayer : public LayerType {
public:
    UnsqueezeLayer()
        : LayerType({ "Unsqueeze", "Unsqueeze", category::kReshape,
            "Inserts a dimension of size 1 at dim, e.g. N×28×28 into N×1×28×28 (dim 1) for a Conv2d, or "
            "N×C into N×C×1 (dim -1). dim counts the dimensions of the output, the batch being 0.",
            { ParamSpec::integer("dim", 1).onBlock().help(
                "Position of the new dimension in the output (1 or higher); negative values count from the "
                "end (-1 appends).") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& input = context.input();
        const int64_t rank = input.rank() + 1; // the output's
        const int64_t dim = context.params().integer("dim");
        const int64_t resolved = dim < 0 ? dim + rank : dim;
        if (resolved < 1 || resolved >= rank) {
            context.error("dim " + std::to_string(dim) + " is out of range for inserting into " + input.toString()
                + " (expected 1 to " + std::to_string(rank - 1) + ", or -1 to " + std::to_string(1 - rank)
                + "; 0 would go before the batch)");
            return;
        }
        std::vector<int64_t> dims = input.dims();
        dims.insert(dims.begin() + resolved, 1);
        context.setOutput(Shape(dims));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const int64_t dim = context.params.integer("dim");
        return { nullptr, [dim](const std::vector<torch::Tensor>& in) { return in[0].unsqueeze(dim); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {}, python::operand(python::firstInput(inputs)) + ".unsqueeze("
                + std::to_string(context.params.integer("dim")) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return x0.unsqueeze(" + std::to_string(context.params.integer("dim")) + ")";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        onnx.node("Unsqueeze", { onnx.inputs().at(0), onnx.ints("axes", { context.params.integer("dim") }) },
            { onnx.output() });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(UnsqueezeLayer);

} // namespace
} // namespace netdraft::engine
