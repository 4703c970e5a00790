// AdaptiveAvgPool1d: averages N×C×L input down to a fixed output length, whatever L is.

#include "engine/layers/AdaptivePooling.h"
#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class AdaptiveAvgPool1dLayer : public LayerType {
public:
    AdaptiveAvgPool1dLayer()
        : LayerType({ "AdaptiveAvgPool1d", "AdaptiveAvgPool1d", category::kPooling,
            "Averages each channel of a sequence over adaptive windows so that the output length is "
            "exactly output_size, whatever the input length. Output size 1 is global average pooling "
            "over time. Input N×C×L.",
            { ParamSpec::tuple("output_size", 1, 1).min(1).onBlock().help("Output length.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 3, "N×C×L"))
            return;
        context.setOutput(Shape { Shape::kBatch, context.input()[1], context.params().list("output_size")[0] });
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const IntList size = context.params.list("output_size");
        return { nullptr,
            [size](const std::vector<torch::Tensor>& in) { return torch::adaptive_avg_pool1d(in[0], size); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {},
            "nn.functional.adaptive_avg_pool1d(" + python::firstInput(inputs) + ", "
                + python::tuple(context.params.list("output_size")) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return torch.adaptive_avg_pool1d(x0, " + python::list(context.params.list("output_size")) + ")";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        writeAdaptivePoolingOnnx(onnx, context.inputs.at(0), context.params.list("output_size"), false);
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(AdaptiveAvgPool1dLayer);

} // namespace
} // namespace netdraft::engine
