// PReLU: x for x >= 0, a · x otherwise, with the slope a learned (one, or one per channel).

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class PReLULayer : public LayerType {
public:
    PReLULayer()
        : LayerType({ "PReLU", "PReLU", category::kActivation,
            "Parametric ReLU: x for positive values and a · x for negative ones, where the slope a is "
            "learned during training (one slope shared by all channels, or one per channel). The "
            "shape is unchanged.",
            { ParamSpec::integer("num_parameters", 1)
                    .min(1)
                    .onBlock()
                    .help("Number of learned slopes: 1 (shared) or the number of channels (dimension 1 of the "
                          "input)."),
                ParamSpec::real("init", 0.25).help("Starting value of every slope.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& input = context.input();
        const int64_t slopes = context.params().integer("num_parameters");
        if (slopes != 1) {
            if (input.rank() < 2) {
                context.error("PReLU with num_parameters " + std::to_string(slopes) + " needs a channel dimension, got "
                    + input.toString());
                return;
            }
            if (slopes != input[1]) {
                context.error("PReLU num_parameters " + std::to_string(slopes) + " must be 1 or the "
                    + std::to_string(input[1]) + " channels of the input " + input.toString());
                return;
            }
        }
        context.setOutput(input);
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        torch::nn::PReLU prelu(torch::nn::PReLUOptions()
                                   .num_parameters(context.params.integer("num_parameters"))
                                   .init(context.params.real("init")));
        return { prelu.ptr(), [prelu](const std::vector<torch::Tensor>& in) mutable { return prelu->forward(in[0]); } };
    }

    std::optional<PythonCode> pythonCode(const BuildContext& context, const std::string& attribute,
        const std::vector<std::string>& inputs) const override
    {
        return PythonCode { "nn.PReLU(num_parameters=" + std::to_string(context.params.integer("num_parameters"))
                + ", init=" + python::real(context.params.real("init")) + ")",
            "self." + attribute + "(" + python::firstInput(inputs) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext&) const override
    {
        return std::string("return torch.prelu(x0, self.weight)");
    }

    /// ONNX's PRelu broadcasts the slope from the right: C slopes become C×1×…×1.
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const int64_t slopes = context.params.integer("num_parameters");
        const int64_t rank = context.inputs.at(0).rank();
        IntList shape { slopes };
        if (slopes != 1)
            shape.resize(static_cast<size_t>(rank - 1), 1);
        const std::string slope
            = onnx.constant("weight", OnnxTensorValues::ofFloats(shape, onnx.parameterValues("weight").floats));
        onnx.node("PRelu", { onnx.inputs().at(0), slope }, { onnx.output() });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(PReLULayer);

} // namespace
} // namespace netdraft::engine
