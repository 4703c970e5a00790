// MaxPool2d: maximum over sliding windows of N×C×H×W input.

#include "engine/layers/LayerRegistry.h"
#include "engine/layers/PoolingLayer.h"

namespace netdraft::engine {
namespace {

class MaxPool2dLayer : public PoolingLayer {
public:
    MaxPool2dLayer()
        : PoolingLayer("MaxPool2d",
            "Takes the maximum of each kernel_size window; with kernel 2 and stride 2 it halves "
            "height and width.",
            Kind::Max, 2)
    {
    }
};

NETDRAFT_REGISTER_LAYER(MaxPool2dLayer);

} // namespace
} // namespace netdraft::engine
