// AdaptiveMaxPool2d: the maximum of N×C×H×W input over adaptive windows, to a fixed output_size.

#include "engine/layers/AdaptivePooling.h"
#include "engine/layers/LayerRegistry.h"

namespace netdraft::engine {
namespace {

class AdaptiveMaxPool2dLayer : public AdaptivePoolingLayer {
public:
    AdaptiveMaxPool2dLayer()
        : AdaptivePoolingLayer("AdaptiveMaxPool2d",
            "Takes the maximum of each channel over adaptive windows so that the output is exactly "
            "output_size, whatever the input height and width. Output size 1×1 is global max pooling.",
            true, 2)
    {
    }
};

NETDRAFT_REGISTER_LAYER(AdaptiveMaxPool2dLayer);

} // namespace
} // namespace netdraft::engine
