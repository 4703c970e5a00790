// Dropout: zeroes random elements while training.

#include "engine/layers/DropoutLayer.h"

namespace netdraft::engine {
namespace {

class DropoutLayerType : public DropoutLayer {
public:
    DropoutLayerType()
        : DropoutLayer("Dropout",
            "While training, zeroes each element with probability p and scales the rest by 1/(1−p), "
            "so that the network cannot rely on any single feature. Does nothing in evaluation. "
            "Shape unchanged.",
            0, {})
    {
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        return buildDropout<torch::nn::Dropout>(context.params);
    }
};

NETDRAFT_REGISTER_LAYER(DropoutLayerType);

} // namespace
} // namespace netdraft::engine
