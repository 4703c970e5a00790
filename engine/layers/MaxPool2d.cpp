// MaxPool2d: maximum over sliding windows of N×C×H×W input.

#include "engine/layers/ConvArithmetic.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/model/BuiltBlock.h"

namespace netdraft::engine {
namespace {

class MaxPool2dLayer : public LayerType {
public:
    MaxPool2dLayer()
        : LayerType({"MaxPool2d", "MaxPool2d", category::kPooling,
                     "Takes the maximum of each kernel_size window; with kernel 2 and stride 2 it halves "
                     "height and width.",
                     {ParamSpec::tuple("kernel_size", 2, 2).min(1).onBlock().help("Window height×width."),
                      ParamSpec::tuple("stride", 2, 2).min(1).help("Step between windows (usually the kernel size)."),
                      ParamSpec::tuple("padding", 2, 0).min(0).help("Implicit -inf padding on each side."),
                      ParamSpec::tuple("dilation", 2, 1).min(1).isAdvanced().help("Spacing between window taps."),
                      ParamSpec::boolean("ceil_mode", false).isAdvanced().help(
                          "Round the output size up instead of down.")}})
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 4, "N×C×H×W"))
            return;
        const Shape& input = context.input();
        WindowSettings window = readWindowSettings(context.params());
        window.ceilMode = context.params().boolean("ceil_mode");
        for (size_t i = 0; i < 2; ++i)
            if (window.padding[i] * 2 > window.kernel[i])
                context.error("padding " + formatParamValue(window.padding) + " must be at most half of kernel_size "
                              + formatParamValue(window.kernel));
        IntList spatial = windowOutputSizes(context, {input[2], input[3]}, window);
        if (spatial.empty())
            return;
        context.setOutput(Shape{Shape::kBatch, input[1], spatial[0], spatial[1]});
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto& params = context.params;
        torch::nn::MaxPool2d pool(torch::nn::MaxPool2dOptions(torch::ExpandingArray<2>(params.list("kernel_size")))
                                      .stride(torch::ExpandingArray<2>(params.list("stride")))
                                      .padding(torch::ExpandingArray<2>(params.list("padding")))
                                      .dilation(torch::ExpandingArray<2>(params.list("dilation")))
                                      .ceil_mode(params.boolean("ceil_mode")));
        return {nullptr, [pool](const std::vector<torch::Tensor>& in) mutable { return pool->forward(in[0]); }};
    }
};

NETDRAFT_REGISTER_LAYER(MaxPool2dLayer);

} // namespace
} // namespace netdraft::engine
