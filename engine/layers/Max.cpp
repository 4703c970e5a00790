// Max: the largest value over chosen dimensions (values only, no indices).

#include "engine/layers/ReductionLayer.h"

namespace netdraft::engine {
namespace {

class MaxLayer : public ReductionLayer {
public:
    MaxLayer()
        : ReductionLayer("Max",
            "Keeps the largest value over the chosen dimensions, e.g. a max over time N×L×C → N×C for a "
            "text classifier, or a global max pooling over dims [2, 3]. It gives the values only (torch.amax), "
            "not their positions.",
            { [](const torch::Tensor& x, const IntList& dims, bool keep) { return torch::amax(x, dims, keep); },
                "amax", "ReduceMax" })
    {
    }
};

NETDRAFT_REGISTER_LAYER(MaxLayer);

} // namespace
} // namespace netdraft::engine
