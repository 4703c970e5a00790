// ChannelAffine: x · scale[c] + shift[c], one scale and one shift per channel (dimension 1).

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

/// "scale" (ones) and "shift" (zeros) of size C, each a parameter when learned, else a buffer.
struct ChannelAffineModule : torch::nn::Module {
    ChannelAffineModule(int64_t channels, bool learnScale, bool learnShift)
    {
        scale = learnScale ? register_parameter("scale", torch::ones({ channels }))
                           : register_buffer("scale", torch::ones({ channels }));
        shift = learnShift ? register_parameter("shift", torch::zeros({ channels }))
                           : register_buffer("shift", torch::zeros({ channels }));
    }

    torch::Tensor forward(const torch::Tensor& x) const
    {
        std::vector<int64_t> shape(static_cast<size_t>(std::max<int64_t>(x.dim() - 1, 1)), 1);
        shape.front() = -1; // C×1×…×1 broadcasts over the positions after the channels
        return x * scale.view(shape) + shift.view(shape);
    }

    torch::Tensor scale;
    torch::Tensor shift;
};

const char* kChannelAffineClass = R"(class ChannelAffine(nn.Module):
    """x · scale[c] + shift[c] over dimension 1 (the channels) of N×C×…; each learned or fixed (a buffer)."""

    def __init__(self, channels, learn_scale=True, learn_shift=True):
        super().__init__()
        for name, value, learned in (("scale", torch.ones(channels), learn_scale),
                                     ("shift", torch.zeros(channels), learn_shift)):
            if learned:
                setattr(self, name, nn.Parameter(value))
            else:
                self.register_buffer(name, value)

    def forward(self, x):
        shape = [-1] + [1] * (x.dim() - 2)
        return x * self.scale.view(shape) + self.shift.view(shape)
)";

/// "[C, 1, 1]": the per-channel view for an input of `rank` (with the batch).
std::string channelView(int64_t channels, int64_t rank)
{
    IntList shape(static_cast<size_t>(std::max<int64_t>(rank - 1, 1)), 1);
    shape.front() = channels;
    return python::list(shape);
}

class ChannelAffineLayer : public LayerType {
public:
    ChannelAffineLayer()
        : LayerType({ "ChannelAffine", "Channel Affine", category::kArithmetic,
            "Multiplies each channel (dimension 1 of N×C×…, or the features of N×C) by its own scale and "
            "adds its own shift: x · scale[c] + shift[c]. Scale starts at 1 and shift at 0; each is learned "
            "or kept fixed. What a folded input normalisation ((x − mean) / std), a frozen batch norm or "
            "ConvNeXt's layer scale computes; imported models' per-channel constants become this block. "
            "The shape is unchanged.",
            { ParamSpec::inferredInteger("channels")
                    .help("Channels (dimension 1 of the input); inferred from the incoming shape unless pinned."),
                ParamSpec::boolean("learn_scale", true)
                    .help("Learn the scale during training; off keeps it fixed (a buffer, still saved)."),
                ParamSpec::boolean("learn_shift", true)
                    .help("Learn the shift during training; off keeps it fixed (a buffer, still saved).") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& input = context.input();
        if (input.rank() < 2) {
            context.error("ChannelAffine expects at least N×C, got " + input.toString());
            return;
        }
        context.inferFromInput("channels", input[1], "channels");
        context.setOutput(input);
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto& params = context.params;
        auto module = std::make_shared<ChannelAffineModule>(
            params.integer("channels"), params.boolean("learn_scale"), params.boolean("learn_shift"));
        return { module, [module](const std::vector<torch::Tensor>& in) { return module->forward(in[0]); } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        return PythonCode { "ChannelAffine(" + std::to_string(params.integer("channels"))
                + ", learn_scale=" + python::boolean(params.boolean("learn_scale"))
                + ", learn_shift=" + python::boolean(params.boolean("learn_shift")) + ")",
            "self." + attribute + "(" + python::firstInput(inputs) + ")", kChannelAffineClass };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        const std::string view = channelView(context.params.integer("channels"), context.inputs.at(0).rank());
        return "return x0 * self.scale.view(" + view + ") + self.shift.view(" + view + ")";
    }

    /// Mul and Add with C×1×…×1 initializers, which broadcast over the positions.
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        IntList shape(static_cast<size_t>(std::max<int64_t>(context.inputs.at(0).rank() - 1, 1)), 1);
        shape.front() = context.params.integer("channels");
        const std::string scale
            = onnx.constant("scale", OnnxTensorValues::ofFloats(shape, onnx.parameterValues("scale").floats));
        const std::string shift
            = onnx.constant("shift", OnnxTensorValues::ofFloats(shape, onnx.parameterValues("shift").floats));
        onnx.node("Add", { onnx.apply("Mul", { onnx.inputs().at(0), scale }, "scaled"), shift }, { onnx.output() });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(ChannelAffineLayer);

} // namespace
} // namespace netdraft::engine
