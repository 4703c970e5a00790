// GlobalAvgPool: the mean of each channel over all positions, N×C×H×W → N×C.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class GlobalAvgPoolLayer : public LayerType {
public:
    GlobalAvgPoolLayer()
        : LayerType({ "GlobalAvgPool", "Global Average Pooling", category::kPooling,
            "Averages each channel over its whole feature map: N×C×H×W becomes N×C, ready for a "
            "Linear classifier without a Flatten and independent of the image size.",
            {} })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 4, "N×C×H×W"))
            return;
        context.setOutput(Shape { Shape::kBatch, context.input()[1] });
    }

    BuiltBlock build(const BuildContext&) const override
    {
        return { nullptr, [](const std::vector<torch::Tensor>& in) { return in[0].mean({ 2, 3 }); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext&, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {}, "torch.mean(" + python::firstInput(inputs) + ", dim=(2, 3))" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext&) const override
    {
        return std::string("return torch.mean(x0, [2, 3])");
    }
    bool onnxNodes(const BuildContext&, OnnxBuilder& onnx) const override
    {
        onnx.node("ReduceMean", { onnx.inputs().at(0) }, { onnx.output() },
            { { "axes", IntList { 2, 3 } }, { "keepdims", int64_t(0) } });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(GlobalAvgPoolLayer);

} // namespace
} // namespace netdraft::engine
