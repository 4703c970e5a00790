// InstanceNorm2d: instance normalisation of the channels of N×C×H×W feature maps.

#include "engine/layers/InstanceNormLayer.h"

namespace netdraft::engine {
namespace {

class InstanceNorm2dLayer : public InstanceNormLayer {
public:
    InstanceNorm2dLayer()
        : InstanceNormLayer(2, "N×C×H×W",
            "Normalises each channel of each image to zero mean and unit variance over its height and "
            "width, independently of the rest of the batch; the usual normalisation of style transfer "
            "and image generation. Input N×C×H×W, shape unchanged.")
    {
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        return buildInstanceNorm<torch::nn::InstanceNorm2d>(context.params);
    }
};

NETDRAFT_REGISTER_LAYER(InstanceNorm2dLayer);

} // namespace
} // namespace netdraft::engine
