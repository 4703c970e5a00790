// MaxPool1d: maximum over sliding windows of N×C×L input.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/ConvArithmetic.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class MaxPool1dLayer : public LayerType {
public:
    MaxPool1dLayer()
        : LayerType({ "MaxPool1d", "MaxPool1d", category::kPooling,
            "Takes the maximum of each kernel_size window along a sequence or signal; with kernel 2 and "
            "stride 2 it halves the length. Input N×C×L.",
            { ParamSpec::tuple("kernel_size", 1, 2).min(1).onBlock().help("Window length."),
                ParamSpec::tuple("stride", 1, 2).min(1).help("Step between windows (usually the kernel size)."),
                ParamSpec::tuple("padding", 1, 0).min(0).help("Implicit -inf padding on each side."),
                ParamSpec::tuple("dilation", 1, 1).min(1).isAdvanced().help("Spacing between window taps."),
                ParamSpec::boolean("ceil_mode", false)
                    .isAdvanced()
                    .help("Round the output length up instead of down.") } })
    {
    }

    void inferShape(InferenceContext& context) const override { inferPooling(context, 1, true); }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto& params = context.params;
        const IntList kernel = params.list("kernel_size"), stride = params.list("stride"),
                      padding = params.list("padding"), dilation = params.list("dilation");
        const bool ceil = params.boolean("ceil_mode");
        return { nullptr, [=](const std::vector<torch::Tensor>& in) {
                    return torch::max_pool1d(in[0], kernel, stride, padding, dilation, ceil);
                } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        return PythonCode { {},
            "nn.functional.max_pool1d(" + python::firstInput(inputs) + ", kernel_size="
                + python::tuple(params.list("kernel_size")) + ", stride=" + python::tuple(params.list("stride"))
                + ", padding=" + python::tuple(params.list("padding"))
                + ", dilation=" + python::tuple(params.list("dilation"))
                + ", ceil_mode=" + python::boolean(params.boolean("ceil_mode")) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        const auto& params = context.params;
        return "return torch.max_pool1d(x0, " + python::list(params.list("kernel_size")) + ", "
            + python::list(params.list("stride")) + ", " + python::list(params.list("padding")) + ", "
            + python::list(params.list("dilation")) + ", " + python::boolean(params.boolean("ceil_mode")) + ")";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const auto& params = context.params;
        IntList pads = params.list("padding"); // begin, then end
        pads.insert(pads.end(), pads.begin(), pads.end());
        onnx.node("MaxPool", { onnx.inputs().at(0) }, { onnx.output() },
            { { "kernel_shape", params.list("kernel_size") }, { "strides", params.list("stride") }, { "pads", pads },
                { "dilations", params.list("dilation") }, { "ceil_mode", int64_t(params.boolean("ceil_mode")) } });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(MaxPool1dLayer);

} // namespace
} // namespace netdraft::engine
