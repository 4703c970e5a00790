// Conv2d: 2-D convolution over N×C×H×W input.

#include "engine/layers/ConvolutionLayer.h"

namespace netdraft::engine {
namespace {

class Conv2dLayer : public ConvolutionLayer {
public:
    Conv2dLayer()
        : ConvolutionLayer(2,
            "2-D convolution: slides out_channels learned filters of kernel_size over the input "
            "image. Input N×C×H×W, output N×out_channels×H'×W'.")
    {
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        return buildConvolution<2, torch::nn::Conv2d>(context.params);
    }
};

NETDRAFT_REGISTER_LAYER(Conv2dLayer);

} // namespace
} // namespace netdraft::engine
