// AdaptiveMaxPool2d: the maximum of N×C×H×W input over adaptive windows, to a fixed output_size.

#include "engine/layers/AdaptivePooling.h"
#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class AdaptiveMaxPool2dLayer : public LayerType {
public:
    AdaptiveMaxPool2dLayer()
        : LayerType({ "AdaptiveMaxPool2d", "AdaptiveMaxPool2d", category::kPooling,
            "Takes the maximum of each channel over adaptive windows so that the output is exactly "
            "output_size, whatever the input height and width. Output size 1×1 is global max pooling.",
            { ParamSpec::tuple("output_size", 2, 1).min(1).onBlock().help("Output height×width.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 4, "N×C×H×W"))
            return;
        const IntList size = context.params().list("output_size");
        context.setOutput(Shape { Shape::kBatch, context.input()[1], size[0], size[1] });
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const IntList size = context.params.list("output_size");
        return { nullptr, [size](const std::vector<torch::Tensor>& in) {
                    return std::get<0>(torch::adaptive_max_pool2d(in[0], size));
                } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {},
            "nn.functional.adaptive_max_pool2d(" + python::firstInput(inputs) + ", "
                + python::tuple(context.params.list("output_size")) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return torch.adaptive_max_pool2d(x0, " + python::list(context.params.list("output_size")) + ")[0]";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        writeAdaptivePoolingOnnx(onnx, context.inputs.at(0), context.params.list("output_size"), true);
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(AdaptiveMaxPool2dLayer);

} // namespace
} // namespace netdraft::engine
