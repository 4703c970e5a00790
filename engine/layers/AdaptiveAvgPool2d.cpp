// AdaptiveAvgPool2d: averages N×C×H×W input down to a fixed output_size, whatever H and W are.

#include "engine/layers/AdaptivePooling.h"
#include "engine/layers/LayerRegistry.h"

namespace netdraft::engine {
namespace {

class AdaptiveAvgPool2dLayer : public AdaptivePoolingLayer {
public:
    AdaptiveAvgPool2dLayer()
        : AdaptivePoolingLayer("AdaptiveAvgPool2d",
            "Averages each channel over adaptive windows so that the output is exactly output_size, "
            "whatever the input height and width. Output size 1×1 is global average pooling.",
            false, 2)
    {
    }
};

NETDRAFT_REGISTER_LAYER(AdaptiveAvgPool2dLayer);

} // namespace
} // namespace netdraft::engine
