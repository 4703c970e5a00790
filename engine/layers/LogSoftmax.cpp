// LogSoftmax: log of the softmax along dim, computed stably.

#include "engine/layers/DimensionParam.h"
#include "engine/layers/ElementwiseLayer.h"

namespace netdraft::engine {
namespace {

class LogSoftmaxLayer : public ElementwiseLayer {
public:
    LogSoftmaxLayer()
        : ElementwiseLayer({ "LogSoftmax", "LogSoftmax", category::kActivation,
            "Logarithm of the softmax along dim, computed in one numerically stable step; "
            "pairs with a negative log-likelihood loss. The shape is unchanged.",
            { ParamSpec::integer("dim", -1).onBlock().help(
                "Dimension normalised over; negative values count from the end.") } })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader& params) const override
    {
        const int64_t dim = params.integer("dim");
        return { [dim](const torch::Tensor& x) { return torch::log_softmax(x, dim); },
            "torch.log_softmax($x, dim=" + std::to_string(dim) + ")",
            "torch.log_softmax($x, " + std::to_string(dim) + ")", onnxSingleNode("LogSoftmax", { { "axis", dim } }) };
    }

    void checkInput(InferenceContext& context) const override { resolveDimension(context, "dim", false); }
};

NETDRAFT_REGISTER_LAYER(LogSoftmaxLayer);

} // namespace
} // namespace netdraft::engine
