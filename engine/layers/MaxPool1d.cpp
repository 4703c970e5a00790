// MaxPool1d: maximum over sliding windows of N×C×L input.

#include "engine/layers/LayerRegistry.h"
#include "engine/layers/PoolingLayer.h"

namespace netdraft::engine {
namespace {

class MaxPool1dLayer : public PoolingLayer {
public:
    MaxPool1dLayer()
        : PoolingLayer("MaxPool1d",
            "Takes the maximum of each kernel_size window along a sequence or signal; with kernel 2 and "
            "stride 2 it halves the length. Input N×C×L.",
            Kind::Max, 1)
    {
    }
};

NETDRAFT_REGISTER_LAYER(MaxPool1dLayer);

} // namespace
} // namespace netdraft::engine
