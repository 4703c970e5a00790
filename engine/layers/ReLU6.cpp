// ReLU6: min(max(0, x), 6), the activation of MobileNet.

#include "engine/layers/ElementwiseLayer.h"

namespace netdraft::engine {
namespace {

class ReLU6Layer : public ElementwiseLayer {
public:
    ReLU6Layer()
        : ElementwiseLayer({ "ReLU6", "ReLU6", category::kActivation,
            "ReLU capped at 6: min(max(0, x), 6) element-wise. The cap keeps activations small, "
            "which suits low-precision mobile networks (MobileNetV2). The shape is unchanged.",
            {} })
    {
    }

protected:
    ElementwiseFunction function(const ParamReader&) const override
    {
        return { [](const torch::Tensor& x) { return torch::hardtanh(x, 0.0, 6.0); }, "nn.functional.relu6($x)",
            "torch.hardtanh($x, 0.0, 6.0)",
            [](OnnxBuilder& onnx) {
                onnx.node("Clip", { onnx.inputs().at(0), onnx.scalar("min", 0.0f), onnx.scalar("max", 6.0f) },
                    { onnx.output() });
            } };
    }
};

NETDRAFT_REGISTER_LAYER(ReLU6Layer);

} // namespace
} // namespace netdraft::engine
