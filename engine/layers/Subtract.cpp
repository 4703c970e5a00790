// Subtract: in1 - in2, element-wise with broadcasting.

#include "engine/layers/BinaryArithmeticLayer.h"

namespace netdraft::engine {
namespace {

class SubtractLayer : public BinaryArithmeticLayer {
public:
    SubtractLayer()
        : BinaryArithmeticLayer("Subtract",
            "Subtracts in2 from in1 element-wise, e.g. a difference of two branches or a mean removed by "
            "hand. Shapes broadcast as in PyTorch: equal ranks, and each size equal or 1 on one side "
            "(N×C×H×W minus N×C×1×1).",
            "-", "Sub", [](const torch::Tensor& a, const torch::Tensor& b) { return a - b; })
    {
    }
};

NETDRAFT_REGISTER_LAYER(SubtractLayer);

} // namespace
} // namespace netdraft::engine
