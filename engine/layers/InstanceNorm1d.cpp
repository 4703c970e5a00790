// InstanceNorm1d: instance normalisation of the channels of N×C×L sequences.

#include "engine/layers/InstanceNormLayer.h"

namespace netdraft::engine {
namespace {

class InstanceNorm1dLayer : public InstanceNormLayer {
public:
    InstanceNorm1dLayer()
        : InstanceNormLayer(1, "N×C×L",
            "Normalises each channel of each sample to zero mean and unit variance over its length, "
            "independently of the rest of the batch (unlike BatchNorm1d). Input N×C×L, shape "
            "unchanged.")
    {
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        return buildInstanceNorm<torch::nn::InstanceNorm1d>(context.params);
    }
};

NETDRAFT_REGISTER_LAYER(InstanceNorm1dLayer);

} // namespace
} // namespace netdraft::engine
