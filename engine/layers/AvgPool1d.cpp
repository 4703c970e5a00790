// AvgPool1d: mean over sliding windows of N×C×L input.

#include "engine/layers/LayerRegistry.h"
#include "engine/layers/PoolingLayer.h"

namespace netdraft::engine {
namespace {

class AvgPool1dLayer : public PoolingLayer {
public:
    AvgPool1dLayer()
        : PoolingLayer("AvgPool1d",
            "Takes the mean of each kernel_size window along a sequence or signal; with kernel 2 and "
            "stride 2 it halves the length while keeping every value's contribution. Input N×C×L.",
            Kind::Average, 1)
    {
    }
};

NETDRAFT_REGISTER_LAYER(AvgPool1dLayer);

} // namespace
} // namespace netdraft::engine
