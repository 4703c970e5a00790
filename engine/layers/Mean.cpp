// Mean: the average over chosen dimensions.

#include "engine/layers/ReductionLayer.h"

namespace netdraft::engine {
namespace {

class MeanLayer : public ReductionLayer {
public:
    MeanLayer()
        : ReductionLayer("Mean",
            "Averages over the chosen dimensions, e.g. over the tokens of a sequence N×L×C (dims [1]) for a "
            "classifier, or over height and width (dims [2, 3]) as a global average pooling.",
            { [](const torch::Tensor& x, const IntList& dims, bool keep) { return x.mean(dims, keep); }, "mean",
                "ReduceMean" })
    {
    }
};

NETDRAFT_REGISTER_LAYER(MeanLayer);

} // namespace
} // namespace netdraft::engine
