// AvgPool2d: mean over sliding windows of N×C×H×W input.

#include "engine/layers/LayerRegistry.h"
#include "engine/layers/PoolingLayer.h"

namespace netdraft::engine {
namespace {

class AvgPool2dLayer : public PoolingLayer {
public:
    AvgPool2dLayer()
        : PoolingLayer("AvgPool2d",
            "Takes the mean of each kernel_size window; with kernel 2 and stride 2 it halves height "
            "and width while keeping every value's contribution.",
            Kind::Average, 2)
    {
    }
};

NETDRAFT_REGISTER_LAYER(AvgPool2dLayer);

} // namespace
} // namespace netdraft::engine
