// Transpose: swaps two dimensions, e.g. N×C×L into N×L×C.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/DimensionParam.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

#include <numeric>

namespace netdraft::engine {
namespace {

class TransposeLayer : public LayerType {
public:
    TransposeLayer()
        : LayerType({ "Transpose", "Transpose", category::kReshape,
            "Swaps two dimensions, e.g. a sequence of feature vectors N×L×C into channels first N×C×L for a "
            "Conv1d, or back. Dimensions count the batch as 0 (which stays in place); negative values count "
            "from the end.",
            { ParamSpec::integer("dim0", 1).onBlock().help("First dimension to swap (1 or higher, or negative)."),
                ParamSpec::integer("dim1", 2).onBlock().help("Second dimension to swap (1 or higher, or negative).") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const auto first = resolveDimension(context, "dim0", false);
        const auto second = resolveDimension(context, "dim1", false);
        if (!first || !second)
            return;
        std::vector<int64_t> dims = context.input().dims();
        std::swap(dims[*first], dims[*second]);
        context.setOutput(Shape(dims));
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const int64_t first = context.params.integer("dim0");
        const int64_t second = context.params.integer("dim1");
        return { nullptr,
            [first, second](const std::vector<torch::Tensor>& in) { return in[0].transpose(first, second); } };
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
        const int64_t rank = static_cast<int64_t>(context.inputs.at(0).rank());
        std::vector<int64_t> permutation(static_cast<size_t>(rank));
        std::iota(permutation.begin(), permutation.end(), 0);
        std::swap(permutation[resolved(context.params.integer("dim0"), rank)],
            permutation[resolved(context.params.integer("dim1"), rank)]);
        onnx.node("Transpose", { onnx.inputs().at(0) }, { onnx.output() }, { { "perm", permutation } });
        return true;
    }

private:
    static size_t resolved(int64_t dim, int64_t rank) { return static_cast<size_t>(dim < 0 ? dim + rank : dim); }

    static std::string call(const ParamReader& params, const std::string& input)
    {
        return input + ".transpose(" + std::to_string(params.integer("dim0")) + ", "
            + std::to_string(params.integer("dim1")) + ")";
    }
};

NETDRAFT_REGISTER_LAYER(TransposeLayer);

} // namespace
} // namespace netdraft::engine
