// Sum: the sum over chosen dimensions.

#include "engine/layers/ReductionLayer.h"

namespace netdraft::engine {
namespace {

class SumLayer : public ReductionLayer {
public:
    SumLayer()
        : ReductionLayer("Sum",
            "Adds up the values over the chosen dimensions, e.g. attention-weighted values over the "
            "sequence (dims [1]) or a pooling that keeps totals rather than averages.",
            { [](const torch::Tensor& x, const IntList& dims, bool keep) { return x.sum(dims, keep); }, "sum",
                "ReduceSum", true })
    {
    }
};

NETDRAFT_REGISTER_LAYER(SumLayer);

} // namespace
} // namespace netdraft::engine
