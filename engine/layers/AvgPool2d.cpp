// AvgPool2d: mean over sliding windows of N×C×H×W input.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/ConvArithmetic.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class AvgPool2dLayer : public LayerType {
public:
    AvgPool2dLayer()
        : LayerType({ "AvgPool2d", "AvgPool2d", category::kPooling,
            "Takes the mean of each kernel_size window; with kernel 2 and stride 2 it halves height "
            "and width while keeping every value's contribution.",
            { ParamSpec::tuple("kernel_size", 2, 2).min(1).onBlock().help("Window height×width."),
                ParamSpec::tuple("stride", 2, 2).min(1).help("Step between windows (usually the kernel size)."),
                ParamSpec::tuple("padding", 2, 0).min(0).help("Implicit zero padding on each side."),
                ParamSpec::boolean("ceil_mode", false).isAdvanced().help("Round the output size up instead of down."),
                ParamSpec::boolean("count_include_pad", true)
                    .isAdvanced()
                    .help("Count padded zeros in the divisor of each mean.") } })
    {
    }

    void inferShape(InferenceContext& context) const override { inferPooling2d(context, false); }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto& params = context.params;
        torch::nn::AvgPool2d pool(torch::nn::AvgPool2dOptions(torch::ExpandingArray<2>(params.list("kernel_size")))
                                      .stride(torch::ExpandingArray<2>(params.list("stride")))
                                      .padding(torch::ExpandingArray<2>(params.list("padding")))
                                      .ceil_mode(params.boolean("ceil_mode"))
                                      .count_include_pad(params.boolean("count_include_pad")));
        return { nullptr, [pool](const std::vector<torch::Tensor>& in) mutable { return pool->forward(in[0]); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        return PythonCode { {},
            "nn.functional.avg_pool2d(" + python::firstInput(inputs) + ", kernel_size="
                + python::tuple(params.list("kernel_size")) + ", stride=" + python::tuple(params.list("stride"))
                + ", padding=" + python::tuple(params.list("padding"))
                + ", ceil_mode=" + python::boolean(params.boolean("ceil_mode"))
                + ", count_include_pad=" + python::boolean(params.boolean("count_include_pad")) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        const auto& params = context.params;
        return "return torch.avg_pool2d(x0, " + python::list(params.list("kernel_size")) + ", "
            + python::list(params.list("stride")) + ", " + python::list(params.list("padding")) + ", "
            + python::boolean(params.boolean("ceil_mode")) + ", " + python::boolean(params.boolean("count_include_pad"))
            + ", None)";
    }
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const auto& params = context.params;
        IntList pads = params.list("padding"); // [top, left] then [bottom, right]
        pads.insert(pads.end(), pads.begin(), pads.end());
        onnx.node("AveragePool", { onnx.inputs().at(0) }, { onnx.output() },
            { { "kernel_shape", params.list("kernel_size") }, { "strides", params.list("stride") }, { "pads", pads },
                { "ceil_mode", int64_t(params.boolean("ceil_mode")) },
                { "count_include_pad", int64_t(params.boolean("count_include_pad")) } });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(AvgPool2dLayer);

} // namespace
} // namespace netdraft::engine
