// Conv2d: 2-D convolution over N×C×H×W input.

#include "engine/layers/ConvArithmetic.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/model/BuiltBlock.h"

namespace netdraft::engine {
namespace {

class Conv2dLayer : public LayerType {
public:
    Conv2dLayer()
        : LayerType({"Conv2d", "Conv2d", category::kConvolution,
                     "2-D convolution: slides out_channels learned filters of kernel_size over the "
                     "input image. Input N×C×H×W, output N×out_channels×H'×W'.",
                     {ParamSpec::inferredInteger("in_channels").help(
                          "Input channels; inferred from the incoming shape unless pinned."),
                      ParamSpec::integer("out_channels", 32).min(1).onBlock().help("Number of filters."),
                      ParamSpec::tuple("kernel_size", 2, 3).min(1).onBlock().help("Filter height×width."),
                      ParamSpec::tuple("stride", 2, 1).min(1).help("Step between windows."),
                      ParamSpec::tuple("padding", 2, 0).min(0).alsoAllow({"same", "valid"}).help(
                          "Zeros added on each side, or 'same' to keep the size (stride 1)."),
                      ParamSpec::tuple("dilation", 2, 1).min(1).isAdvanced().help("Spacing between kernel taps."),
                      ParamSpec::integer("groups", 1).min(1).isAdvanced().help(
                          "Split channels into groups convolved separately; must divide both channel counts."),
                      ParamSpec::boolean("bias", true).isAdvanced().help("Learn an additive bias per filter."),
                      ParamSpec::choice("padding_mode", "zeros", {"zeros", "reflect", "replicate", "circular"})
                          .isAdvanced()
                          .help("How padded values are filled.")}})
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 4, "N×C×H×W"))
            return;
        const Shape& input = context.input();
        const auto& params = context.params();
        const int64_t inChannels = context.inferFromInput("in_channels", input[1], "input channels");
        const int64_t outChannels = params.integer("out_channels");
        const int64_t groups = params.integer("groups");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            context.error("groups " + std::to_string(groups) + " must divide in_channels "
                          + std::to_string(inChannels) + " and out_channels " + std::to_string(outChannels));
        IntList spatial = windowOutputSizes(context, {input[2], input[3]}, readWindowSettings(params));
        if (spatial.empty())
            return;
        context.setOutput(Shape{Shape::kBatch, outChannels, spatial[0], spatial[1]});
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto& params = context.params;
        const IntList kernel = params.list("kernel_size");
        torch::nn::Conv2dOptions options(params.integer("in_channels"), params.integer("out_channels"),
                                         torch::ExpandingArray<2>(kernel));
        options.stride(torch::ExpandingArray<2>(params.list("stride")))
            .dilation(torch::ExpandingArray<2>(params.list("dilation")))
            .groups(params.integer("groups"))
            .bias(params.boolean("bias"));
        const std::string word = params.wordOrEmpty("padding");
        if (word == "same")
            options.padding(torch::kSame);
        else if (word == "valid")
            options.padding(torch::kValid);
        else
            options.padding(torch::ExpandingArray<2>(params.list("padding")));
        const std::string mode = params.word("padding_mode");
        if (mode == "reflect")
            options.padding_mode(torch::kReflect);
        else if (mode == "replicate")
            options.padding_mode(torch::kReplicate);
        else if (mode == "circular")
            options.padding_mode(torch::kCircular);
        torch::nn::Conv2d conv(options);
        return {conv.ptr(), [conv](const std::vector<torch::Tensor>& in) mutable { return conv->forward(in[0]); }};
    }
};

NETDRAFT_REGISTER_LAYER(Conv2dLayer);

} // namespace
} // namespace netdraft::engine
