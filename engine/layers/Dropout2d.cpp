// Dropout2d: zeroes whole random channels of feature maps while training.

#include "engine/layers/DropoutLayer.h"

namespace netdraft::engine {
namespace {

class Dropout2dLayer : public DropoutLayer {
public:
    Dropout2dLayer()
        : DropoutLayer("Dropout2d",
            "While training, zeroes whole channels of N×C×H×W feature maps with probability p and "
            "scales the rest by 1/(1−p); neighbouring pixels are correlated, so dropping single "
            "elements would regularise little. Does nothing in evaluation. Shape unchanged.",
            4, "N×C×H×W")
    {
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        return buildDropout<torch::nn::Dropout2d>(context.params);
    }
};

NETDRAFT_REGISTER_LAYER(Dropout2dLayer);

} // namespace
} // namespace netdraft::engine
