// ConvTranspose2d: transposed ("fractionally strided") 2-D convolution, the learned upsampling of decoders.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class ConvTranspose2dLayer : public LayerType {
public:
    ConvTranspose2dLayer()
        : LayerType({ "ConvTranspose2d", "ConvTranspose2d", category::kConvolution,
            "Transposed 2-D convolution: the gradient of a convolution, used to upsample in decoders "
            "and autoencoders. With kernel 2 and stride 2 it doubles height and width. Output size "
            "(H−1)·stride − 2·padding + dilation·(kernel−1) + output_padding + 1.",
            { ParamSpec::inferredInteger("in_channels")
                    .help("Input channels; inferred from the incoming shape unless pinned."),
                ParamSpec::integer("out_channels", 32).min(1).onBlock().help("Number of output channels."),
                ParamSpec::tuple("kernel_size", 2, 2).min(1).onBlock().help("Filter height×width."),
                ParamSpec::tuple("stride", 2, 2).min(1).help("Upsampling factor between input positions."),
                ParamSpec::tuple("padding", 2, 0).min(0).help("Rows and columns trimmed from each side of the output."),
                ParamSpec::tuple("output_padding", 2, 0)
                    .min(0)
                    .help("Extra rows/columns added on one side to reach an exact size; must be smaller than "
                          "stride or dilation."),
                ParamSpec::tuple("dilation", 2, 1).min(1).isAdvanced().help("Spacing between kernel taps."),
                ParamSpec::integer("groups", 1)
                    .min(1)
                    .isAdvanced()
                    .help("Split channels into groups; must divide both channel counts."),
                ParamSpec::boolean("bias", true).isAdvanced().help("Learn an additive bias per channel.") } })
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
            context.error("groups " + std::to_string(groups) + " must divide in_channels " + std::to_string(inChannels)
                + " and out_channels " + std::to_string(outChannels));
        const IntList kernel = params.list("kernel_size"), stride = params.list("stride");
        const IntList padding = params.list("padding"), outputPadding = params.list("output_padding");
        const IntList dilation = params.list("dilation");
        IntList spatial(2);
        for (size_t i = 0; i < 2; ++i) {
            if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
                context.error("output_padding " + formatParamValue(outputPadding) + " must be smaller than stride "
                    + formatParamValue(stride) + " or dilation " + formatParamValue(dilation));
                return;
            }
            const int64_t size = input[2 + static_cast<int64_t>(i)];
            spatial[i] = (size - 1) * stride[i] - 2 * padding[i] + dilation[i] * (kernel[i] - 1) + outputPadding[i] + 1;
            if (spatial[i] < 1) {
                context.error("padding " + formatParamValue(padding) + " trims the whole output: input "
                    + formatFactors({ input[2], input[3] }) + " with kernel " + formatParamValue(kernel)
                    + " and stride " + formatParamValue(stride) + " gives a size of " + std::to_string(spatial[i]));
                return;
            }
        }
        context.setOutput(Shape { Shape::kBatch, outChannels, spatial[0], spatial[1] });
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto& params = context.params;
        torch::nn::ConvTranspose2d conv(torch::nn::ConvTranspose2dOptions(params.integer("in_channels"),
            params.integer("out_channels"), torch::ExpandingArray<2>(params.list("kernel_size")))
                                            .stride(torch::ExpandingArray<2>(params.list("stride")))
                                            .padding(torch::ExpandingArray<2>(params.list("padding")))
                                            .output_padding(torch::ExpandingArray<2>(params.list("output_padding")))
                                            .dilation(torch::ExpandingArray<2>(params.list("dilation")))
                                            .groups(params.integer("groups"))
                                            .bias(params.boolean("bias")));
        return { conv.ptr(), [conv](const std::vector<torch::Tensor>& in) mutable { return conv->forward(in[0]); } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        std::string constructor = "nn.ConvTranspose2d(" + std::to_string(params.integer("in_channels")) + ", "
            + std::to_string(params.integer("out_channels"))
            + ", kernel_size=" + python::tuple(params.list("kernel_size"))
            + ", stride=" + python::tuple(params.list("stride")) + ", padding=" + python::tuple(params.list("padding"))
            + ", output_padding=" + python::tuple(params.list("output_padding"));
        if (params.integer("groups") != 1)
            constructor += ", groups=" + std::to_string(params.integer("groups"));
        constructor += ", bias=" + python::boolean(params.boolean("bias"));
        if (params.list("dilation") != IntList { 1, 1 })
            constructor += ", dilation=" + python::tuple(params.list("dilation"));
        return PythonCode { constructor + ")", "self." + attribute + "(" + python::firstInput(inputs) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        const auto& params = context.params;
        // aten::conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)
        return std::string("return torch.conv_transpose2d(x0, self.weight, ")
            + (params.boolean("bias") ? "self.bias" : "None") + ", " + python::list(params.list("stride")) + ", "
            + python::list(params.list("padding")) + ", " + python::list(params.list("output_padding")) + ", "
            + std::to_string(params.integer("groups")) + ", " + python::list(params.list("dilation")) + ")";
    }
    /// Every input value meets (out_channels / groups) × kernel taps weights.
    int64_t multiplyAccumulates(const BuildContext& context) const override
    {
        const auto& params = context.params;
        const IntList kernel = params.list("kernel_size");
        return context.inputs.at(0).sampleElements() * (params.integer("out_channels") / params.integer("groups"))
            * kernel[0] * kernel[1];
    }

    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        // The weight layout in×(out/groups)×kH×kW is ONNX's too; pads are [top, left, bottom, right].
        const auto& params = context.params;
        IntList pads = params.list("padding");
        pads.insert(pads.end(), pads.begin(), pads.end());
        std::vector<std::string> inputs { onnx.inputs().at(0), onnx.parameter("weight") };
        if (params.boolean("bias"))
            inputs.push_back(onnx.parameter("bias"));
        onnx.node("ConvTranspose", inputs, { onnx.output() },
            { { "kernel_shape", params.list("kernel_size") }, { "strides", params.list("stride") },
                { "dilations", params.list("dilation") }, { "output_padding", params.list("output_padding") },
                { "group", params.integer("groups") }, { "pads", pads } });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(ConvTranspose2dLayer);

} // namespace
} // namespace netdraft::engine
