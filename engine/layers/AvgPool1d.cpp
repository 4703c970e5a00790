// AvgPool1d: mean over sliding windows of N×C×L input.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/ConvArithmetic.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class AvgPool1dLayer : public LayerType {
public:
    AvgPool1dLayer()
        : LayerType({ "AvgPool1d", "AvgPool1d", category::kPooling,
            "Takes the mean of each kernel_size window along a sequence or signal; with kernel 2 and "
            "stride 2 it halves the length while keeping every value's contribution. Input N×C×L.",
            { ParamSpec::tuple("kernel_size", 1, 2).min(1).onBlock().help("Window length."),
                ParamSpec::tuple("stride", 1, 2).min(1).help("Step between windows (usually the kernel size)."),
                ParamSpec::tuple("padding", 1, 0).min(0).help("Implicit zero padding on each side."),
                ParamSpec::boolean("ceil_mode", false).isAdvanced().help("Round the output length up instead of down."),
                ParamSpec::boolean("count_include_pad", true)
                    .isAdvanced()
                    .help("Count padded zeros in the divisor of each mean.") } })
    {
    }

    void inferShape(InferenceContext& context) const override { inferPooling(context, 1, false); }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto& params = context.params;
        const IntList kernel = params.list("kernel_size"), stride = params.list("stride"),
                      padding = params.list("padding");
        const bool ceil = params.boolean("ceil_mode"), includePad = params.boolean("count_include_pad");
        return { nullptr, [=](const std::vector<torch::Tensor>& in) {
                    return torch::avg_pool1d(in[0], kernel, stride, padding, ceil, includePad);
                } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        return PythonCode { {},
            "nn.functional.avg_pool1d(" + python::firstInput(inputs) + ", kernel_size="
                + python::tuple(params.list("kernel_size")) + ", stride=" + python::tuple(params.list("stride"))
                + ", padding=" + python::tuple(params.list("padding"))
                + ", ceil_mode=" + python::boolean(params.boolean("ceil_mode"))
                + ", count_include_pad=" + python::boolean(params.boolean("count_include_pad")) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        const auto& params = context.params;
        return "return torch.avg_pool1d(x0, " + python::list(params.list("kernel_size")) + ", "
            + python::list(params.list("stride")) + ", " + python::list(params.list("padding")) + ", "
            + python::boolean(params.boolean("ceil_mode")) + ", " + python::boolean(params.boolean("count_include_pad"))
            + ")";
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const auto& params = context.params;
        IntList pads = params.list("padding"); // begin, then end
        pads.insert(pads.end(), pads.begin(), pads.end());
        onnx.node("AveragePool", { onnx.inputs().at(0) }, { onnx.output() },
            { { "kernel_shape", params.list("kernel_size") }, { "strides", params.list("stride") }, { "pads", pads },
                { "ceil_mode", int64_t(params.boolean("ceil_mode")) },
                { "count_include_pad", int64_t(params.boolean("count_include_pad")) } });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(AvgPool1dLayer);

} // namespace
} // namespace netdraft::engine
