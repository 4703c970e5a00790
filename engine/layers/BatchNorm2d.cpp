// BatchNorm2d: batch normalisation of the channels of N×C×H×W feature maps.

#include "engine/layers/BatchNormLayer.h"

namespace netdraft::engine {
namespace {

class BatchNorm2dLayer : public BatchNormLayer {
public:
    BatchNorm2dLayer()
        : BatchNormLayer(2, { { 4, "N×C×H×W" } },
            "Normalises each channel to zero mean and unit variance over the batch and all "
            "positions, then scales and shifts it; keeps running statistics for evaluation. "
            "Usually placed between a convolution and its activation. Shape unchanged.")
    {
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        return buildBatchNorm<torch::nn::BatchNorm2d>(context.params);
    }
};

NETDRAFT_REGISTER_LAYER(BatchNorm2dLayer);

} // namespace
} // namespace netdraft::engine
