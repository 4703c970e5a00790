// ReLU: max(0, x), element-wise.

#include "engine/layers/LayerRegistry.h"
#include "engine/model/BuiltBlock.h"

namespace netdraft::engine {
namespace {

class ReLULayer : public LayerType {
public:
    ReLULayer()
        : LayerType({"ReLU", "ReLU", category::kActivation,
                     "Rectified linear unit: max(0, x) element-wise. The shape is unchanged.",
                     {}})
    {
    }

    void inferShape(InferenceContext& context) const override { context.setOutput(context.input()); }

    BuiltBlock build(const BuildContext&) const override
    {
        return {nullptr, [](const std::vector<torch::Tensor>& in) { return torch::relu(in[0]); }};
    }
};

NETDRAFT_REGISTER_LAYER(ReLULayer);

} // namespace
} // namespace netdraft::engine
