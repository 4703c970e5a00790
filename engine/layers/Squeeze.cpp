// Squeeze: removes one dimension of size 1.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/DimensionParam.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class SqueezeLayer : public LayerType {
public:
    SqueezeLayer()
        : LayerType({ "Squeeze", "Squeeze", category::kReshape,
            "Removes one dimension of size 1, e.g. N×1×28×28 into N×28×28, or the 1×1 left by a pooling. "
            "Unlike torch.squeeze, a dimension whose size is not 1 is an error rather than left alone.",
            { ParamSpec::integer("dim", 1).onBlock().help(
                "Dimension to remove (1 or higher; the batch is 0); negative values count from the end. Its size "
                "must be 1.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const auto dim = resolveDimension(context, "dim", false);
        if (!dim)
            return;
        const Shape& input = context.input();
        if (input[*dim] != 1) {
            context.error("dim " + std::to_string(*dim) + " of " + input.toString() + " has size "
                + std::to_string(input[*dim]) + "; only a dimension of size 1 can be removed");
            return;
        }
        std::vector<int64_t> dims = input.dims();
        dims.erase(dims.begin() + *dim);
        context.setOutput(Shape(dims));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const int64_t dim = context.params.integer("dim");
        return { nullptr, [dim](const std::vector<torch::Tensor>& in) { return in[0].squeeze(dim); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {}, python::operand(python::firstInput(inputs)) + ".squeeze("
                + std::to_string(context.params.integer("dim")) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return x0.squeeze(" + std::to_string(context.params.integer("dim")) + ")";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        onnx.node("Squeeze", { onnx.inputs().at(0), onnx.ints("axes", { context.params.integer("dim") }) },
            { onnx.output() });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(SqueezeLayer);

} // namespace
} // namespace netdraft::engine
