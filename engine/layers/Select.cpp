// Select: takes one index of a dimension and removes that dimension, as x[:, index] does.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/DimensionParam.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class SelectLayer : public LayerType {
public:
    SelectLayer()
        : LayerType({ "Select", "Select", category::kReshape,
            "Takes one index of a dimension and removes that dimension, e.g. the last step of a sequence "
            "N×L×C (dim 1, index -1) or a transformer's class token (dim 1, index 0), giving N×C.",
            { ParamSpec::integer("dim", 1).onBlock().help(
                  "Dimension to index (1 or higher; the batch is 0); negative values count from the end."),
                ParamSpec::integer("index", 0).onBlock().help(
                    "Index to keep; negative values count from the end (-1 is the last).") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const auto dim = resolveDimension(context, "dim", false);
        if (!dim)
            return;
        const Shape& input = context.input();
        const int64_t size = input[*dim];
        const int64_t index = context.params().integer("index");
        if (index < -size || index >= size) {
            context.error("index " + std::to_string(index) + " is out of range for dim " + std::to_string(*dim)
                + " of size " + std::to_string(size) + " in " + input.toString() + " (expected "
                + std::to_string(-size) + " to " + std::to_string(size - 1) + ")");
            return;
        }
        std::vector<int64_t> dims = input.dims();
        dims.erase(dims.begin() + *dim);
        context.setOutput(Shape(dims));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const int64_t dim = context.params.integer("dim");
        const int64_t index = context.params.integer("index");
        return { nullptr, [dim, index](const std::vector<torch::Tensor>& in) { return in[0].select(dim, index); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {}, call(context.params, python::operand(python::firstInput(inputs))) };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return " + call(context.params, "x0");
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        // A scalar index makes Gather drop the axis, as select does.
        const std::string index
            = onnx.constant("index", OnnxTensorValues::ofInts({}, { context.params.integer("index") }));
        onnx.node("Gather", { onnx.inputs().at(0), index }, { onnx.output() },
            { { "axis", context.params.integer("dim") } });
        return true;
    }

private:
    static std::string call(const ParamReader& params, const std::string& input)
    {
        return input + ".select(" + std::to_string(params.integer("dim")) + ", "
            + std::to_string(params.integer("index")) + ")";
    }
};

NETDRAFT_REGISTER_LAYER(SelectLayer);

} // namespace
} // namespace netdraft::engine
