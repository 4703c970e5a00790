// Conv1d: 1-D convolution over N×C×L input (sequences, signals).

#include "engine/layers/ConvolutionLayer.h"

namespace netdraft::engine {
namespace {

class Conv1dLayer : public ConvolutionLayer {
public:
    Conv1dLayer()
        : ConvolutionLayer(1,
            "1-D convolution: slides out_channels learned filters of kernel_size along a "
            "sequence or signal. Input N×C×L, output N×out_channels×L'.")
    {
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        return buildConvolution<1, torch::nn::Conv1d>(context.params);
    }
};

NETDRAFT_REGISTER_LAYER(Conv1dLayer);

} // namespace
} // namespace netdraft::engine
