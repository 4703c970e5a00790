// Softmax: exponentials normalised to sum to 1 along dim.

#include "engine/layers/DimensionParam.h"
#include "engine/layers/ElementwiseLayer.h"

namespace netdraft::engine {
namespace {

class SoftmaxLayer : public ElementwiseLayer {
public:
    SoftmaxLayer()
        : ElementwiseLayer({ "Softmax", "Softmax", category::kActivation,
            "Turns scores into probabilities: e^x divided by the sum of e^x along dim. Do "
            "not put it before the Output of a classifier: the loss applies log-softmax "
            "itself. The shape is unchanged.",
            { ParamSpec::integer("dim", -1).onBlock().help(
                "Dimension that sums to 1; negative values count from the end.") } })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader& params) const override
    {
        const int64_t dim = params.integer("dim");
        return { [dim](const torch::Tensor& x) { return torch::softmax(x, dim); },
            "torch.softmax($x, dim=" + std::to_string(dim) + ")", "torch.softmax($x, " + std::to_string(dim) + ")",
            onnxSingleNode("Softmax", { { "axis", dim } }) };
    }

    void checkInput(InferenceContext& context) const override { resolveDimension(context, "dim", false); }
};

NETDRAFT_REGISTER_LAYER(SoftmaxLayer);

} // namespace
} // namespace netdraft::engine
