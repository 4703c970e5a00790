// AdaptiveAvgPool1d: averages N×C×L input down to a fixed output length, whatever L is.

#include "engine/layers/AdaptivePooling.h"
#include "engine/layers/LayerRegistry.h"

namespace netdraft::engine {
namespace {

class AdaptiveAvgPool1dLayer : public AdaptivePoolingLayer {
public:
    AdaptiveAvgPool1dLayer()
        : AdaptivePoolingLayer("AdaptiveAvgPool1d",
            "Averages each channel of a sequence over adaptive windows so that the output length is "
            "exactly output_size, whatever the input length. Output size 1 is global average pooling "
            "over time. Input N×C×L.",
            false, 1)
    {
    }
};

NETDRAFT_REGISTER_LAYER(AdaptiveAvgPool1dLayer);

} // namespace
} // namespace netdraft::engine
