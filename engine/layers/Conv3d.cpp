// Conv3d: 3-D convolution over N×C×D×H×W input (volumes, video).

#include "engine/layers/ConvolutionLayer.h"

namespace netdraft::engine {
namespace {

class Conv3dLayer : public ConvolutionLayer {
public:
    Conv3dLayer()
        : ConvolutionLayer(3,
            "3-D convolution: slides out_channels learned filters of kernel_size through a volume "
            "(medical scans) or a clip of video frames. Input N×C×D×H×W, output "
            "N×out_channels×D'×H'×W'.")
    {
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        return buildConvolution<3, torch::nn::Conv3d>(context.params);
    }
};

NETDRAFT_REGISTER_LAYER(Conv3dLayer);

} // namespace
} // namespace netdraft::engine
