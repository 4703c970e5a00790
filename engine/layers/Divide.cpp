// Divide: in1 / in2, element-wise with broadcasting.

#include "engine/layers/BinaryArithmeticLayer.h"

namespace netdraft::engine {
namespace {

class DivideLayer : public BinaryArithmeticLayer {
public:
    DivideLayer()
        : BinaryArithmeticLayer("Divide",
            "Divides in1 by in2 element-wise, e.g. to normalise by a computed norm. Shapes broadcast as in "
            "PyTorch: equal ranks, and each size equal or 1 on one side (N×C×L divided by N×1×L). Division "
            "by zero gives inf or nan.",
            "/", "Div", [](const torch::Tensor& a, const torch::Tensor& b) { return a / b; })
    {
    }
};

NETDRAFT_REGISTER_LAYER(DivideLayer);

} // namespace
} // namespace netdraft::engine
