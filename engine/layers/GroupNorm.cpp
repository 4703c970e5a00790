// GroupNorm: normalises groups of channels within each sample.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class GroupNormLayer : public LayerType {
public:
    GroupNormLayer()
        : LayerType({ "GroupNorm", "GroupNorm", category::kNormalization,
            "Splits the channels into num_groups groups and normalises each group of each sample to "
            "zero mean and unit variance, then scales and shifts per channel. Independent of the "
            "batch size, so it suits small batches. Input N×C×…, shape unchanged.",
            { ParamSpec::integer("num_groups", 4)
                    .min(1)
                    .onBlock()
                    .help("Number of channel groups; must divide the number of channels."),
                ParamSpec::inferredInteger("num_channels")
                    .help("Channels; inferred from the incoming shape unless pinned."),
                ParamSpec::real("eps", 1e-5).min(0).isAdvanced().help("Added to the variance for stability."),
                ParamSpec::boolean("affine", true).isAdvanced().help("Learn a scale and shift per channel.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& input = context.input();
        if (input.rank() < 2) {
            context.error("GroupNorm expects at least N×C, got " + input.toString());
            return;
        }
        const int64_t channels = context.inferFromInput("num_channels", input[1], "channels");
        const int64_t groups = context.params().integer("num_groups");
        if (channels % groups != 0) {
            context.error("num_groups " + std::to_string(groups) + " must divide the " + std::to_string(channels)
                + " channels of " + input.toString());
            return;
        }
        context.setOutput(input);
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto& params = context.params;
        torch::nn::GroupNorm norm(
            torch::nn::GroupNormOptions(params.integer("num_groups"), params.integer("num_channels"))
                .eps(params.real("eps"))
                .affine(params.boolean("affine")));
        return { norm.ptr(), [norm](const std::vector<torch::Tensor>& in) mutable { return norm->forward(in[0]); } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        return PythonCode { "nn.GroupNorm(" + std::to_string(params.integer("num_groups")) + ", "
                + std::to_string(params.integer("num_channels")) + ", eps=" + python::real(params.real("eps"))
                + ", affine=" + python::boolean(params.boolean("affine")) + ")",
            "self." + attribute + "(" + python::firstInput(inputs) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        const auto& params = context.params;
        return "return torch.group_norm(x0, " + std::to_string(params.integer("num_groups")) + ", "
            + (params.boolean("affine") ? "self.weight, self.bias, " : "None, None, ")
            + python::real(params.real("eps")) + ", True)";
    }
    /// Opset 17 has no GroupNormalization: instance-normalise N×groups×rest, reshape back, then
    /// scale and shift per channel.
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const auto& params = context.params;
        const int64_t groups = params.integer("num_groups"), channels = params.integer("num_channels");
        const std::string grouped
            = onnx.apply("Reshape", { onnx.inputs().at(0), onnx.ints("grouped_shape", { 0, groups, -1 }) }, "grouped");
        const std::string normalised = onnx.apply("InstanceNormalization",
            { grouped, onnx.constant("ones", OnnxTensorValues::ofFloats({ groups }, std::vector<float>(groups, 1.0f))),
                onnx.constant("zeros", OnnxTensorValues::ofFloats({ groups }, std::vector<float>(groups, 0.0f))) },
            "normalised", { { "epsilon", params.real("eps") } });
        IntList shape = context.output.dims();
        shape.front() = 0;
        if (!params.boolean("affine")) {
            onnx.node("Reshape", { normalised, onnx.ints("shape", shape) }, { onnx.output() });
            return true;
        }
        const std::string restored = onnx.apply("Reshape", { normalised, onnx.ints("shape", shape) }, "restored");
        IntList perChannel(shape.size() - 1, 1); // C×1×…×1 broadcasts over the positions
        perChannel.front() = channels;
        const std::string weight
            = onnx.constant("weight", OnnxTensorValues::ofFloats(perChannel, onnx.parameterValues("weight").floats));
        const std::string bias
            = onnx.constant("bias", OnnxTensorValues::ofFloats(perChannel, onnx.parameterValues("bias").floats));
        onnx.node("Add", { onnx.apply("Mul", { restored, weight }, "scaled"), bias }, { onnx.output() });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(GroupNormLayer);

} // namespace
} // namespace netdraft::engine
