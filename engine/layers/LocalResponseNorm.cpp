// LocalResponseNorm: each value divided by the activity of its neighbouring channels (AlexNet).

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class LocalResponseNormLayer : public LayerType {
public:
    LocalResponseNormLayer()
        : LayerType({ "LocalResponseNorm", "LocalResponseNorm", category::kNormalization,
            "Local response normalisation (AlexNet): divides each value by (k + alpha · the mean of the "
            "squares over `size` neighbouring channels)^beta, so that strongly active channels damp "
            "their neighbours. Input N×C×… with at least one position dimension; shape unchanged.",
            { ParamSpec::integer("size", 5).min(1).onBlock().help("Number of neighbouring channels summed over."),
                ParamSpec::real("alpha", 1e-4).min(0).help("Multiplier of the mean of squares."),
                ParamSpec::real("beta", 0.75).min(0).help("Exponent of the divisor."),
                ParamSpec::real("k", 1.0).min(0).isAdvanced().help("Added to the divisor before the power.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        const Shape& input = context.input();
        if (input.rank() < 3 || input.rank() > 5) {
            context.error("LocalResponseNorm expects a N×C×L, N×C×H×W or N×C×D×H×W input (rank 3 to 5), got "
                + input.toString() + " (rank " + std::to_string(input.rank()) + ")");
            return;
        }
        context.setOutput(input);
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const auto options = torch::nn::functional::LocalResponseNormFuncOptions(context.params.integer("size"))
                                 .alpha(context.params.real("alpha"))
                                 .beta(context.params.real("beta"))
                                 .k(context.params.real("k"));
        return { nullptr, [options](const std::vector<torch::Tensor>& in) {
                    return torch::nn::functional::local_response_norm(in[0], options);
                } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        const auto& params = context.params;
        return PythonCode { {},
            "nn.functional.local_response_norm(" + python::firstInput(inputs) + ", "
                + std::to_string(params.integer("size")) + ", alpha=" + python::real(params.real("alpha"))
                + ", beta=" + python::real(params.real("beta")) + ", k=" + python::real(params.real("k")) + ")" };
    }

    /// PyTorch's formula written out (aten has no LRN op): the mean of squares over a channel window
    /// padded by size/2 before and (size-1)/2 after, an average pool over a channel axis of its own.
    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        const auto& params = context.params;
        const int64_t size = params.integer("size");
        const int64_t rank = context.inputs.at(0).rank();
        const std::string pad = "[0, 0, " + std::to_string(size / 2) + ", " + std::to_string((size - 1) / 2) + "]";
        std::string body = "squares = torch.unsqueeze(x0 * x0, 1)\n";
        if (rank == 3) {
            body += "summed = torch.avg_pool2d(torch.constant_pad_nd(squares, " + pad + ", 0.0), ["
                + std::to_string(size) + ", 1], [1, 1], [0, 0], False, True, None)\n";
        } else {
            body += "shape = x0.size()\n";
            body += "squares = torch.reshape(squares, [shape[0], 1, shape[1], shape[2], -1])\n";
            body += "summed = torch.avg_pool3d(torch.constant_pad_nd(squares, [0, 0, 0, 0, " + std::to_string(size / 2)
                + ", " + std::to_string((size - 1) / 2) + "], 0.0), [" + std::to_string(size)
                + ", 1, 1], [1, 1, 1], [0, 0, 0], False, True, None)\n";
            body += "summed = torch.reshape(summed, shape)\n";
        }
        if (rank == 3)
            body += "summed = torch.squeeze(summed, 1)\n";
        return body + "return x0 / torch.pow(summed * " + python::real(params.real("alpha")) + " + "
            + python::real(params.real("k")) + ", " + python::real(params.real("beta")) + ")";
    }

    /// The same formula in ONNX: opset 17's LRN pads an even window on the other side than PyTorch.
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const auto& params = context.params;
        const int64_t size = params.integer("size");
        const int64_t rank = context.inputs.at(0).rank();
        const std::string& x = onnx.inputs().at(0);
        const std::string squares = onnx.apply(
            "Unsqueeze", { onnx.apply("Mul", { x, x }, "squares"), onnx.ints("axis", { 1 }) }, "channel_axis");
        IntList kernel(static_cast<size_t>(rank - 1), 1), pads(static_cast<size_t>(2 * (rank - 1)), 0);
        kernel.front() = size;
        pads[0] = size / 2;
        pads[static_cast<size_t>(rank - 1)] = (size - 1) / 2;
        const std::string mean = onnx.apply("AveragePool", { squares }, "mean",
            { { "kernel_shape", kernel }, { "pads", pads }, { "count_include_pad", int64_t(1) } });
        const std::string summed = onnx.apply("Squeeze", { mean, onnx.ints("axis", { 1 }) }, "window_mean");
        const std::string divisor = onnx.apply("Pow",
            { onnx.apply("Add",
                  { onnx.apply(
                        "Mul", { summed, onnx.scalar("alpha", static_cast<float>(params.real("alpha"))) }, "scaled"),
                      onnx.scalar("k", static_cast<float>(params.real("k"))) },
                  "shifted"),
                onnx.scalar("beta", static_cast<float>(params.real("beta"))) },
            "divisor");
        onnx.node("Div", { x, divisor }, { onnx.output() });
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(LocalResponseNormLayer);

} // namespace
} // namespace netdraft::engine
