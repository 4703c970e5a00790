// BatchNorm1d: batch normalisation of N×C features or N×C×L sequences.

#include "engine/layers/BatchNormLayer.h"

namespace netdraft::engine {
namespace {

class BatchNorm1dLayer : public BatchNormLayer {
public:
    BatchNorm1dLayer()
        : BatchNormLayer(1, { { 2, "N×C" }, { 3, "N×C×L" } },
            "Normalises each feature (channel) to zero mean and unit variance over the batch, then "
            "scales and shifts it; keeps running statistics for evaluation. Input N×C or N×C×L, "
            "shape unchanged.")
    {
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        return buildBatchNorm<torch::nn::BatchNorm1d>(context.params);
    }
};

NETDRAFT_REGISTER_LAYER(BatchNorm1dLayer);

} // namespace
} // namespace netdraft::engine
