// AdaptiveAvgPool2d: averages N×C×H×W input down to a fixed output_size, whatever H and W are.

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

class AdaptiveAvgPool2dLayer : public LayerType {
public:
    AdaptiveAvgPool2dLayer()
        : LayerType({ "AdaptiveAvgPool2d", "AdaptiveAvgPool2d", category::kPooling,
            "Averages each channel over adaptive windows so that the output is exactly output_size, "
            "whatever the input height and width. Output size 1×1 is global average pooling.",
            { ParamSpec::tuple("output_size", 2, 1).min(1).onBlock().help("Output height×width.") } })
    {
    }

    void inferShape(InferenceContext& context) const override
    {
        if (!context.requireRank(0, 4, "N×C×H×W"))
            return;
        const IntList size = context.params().list("output_size");
        context.setOutput(Shape { Shape::kBatch, context.input()[1], size[0], size[1] });
    }

    BuiltBlock build(const BuildContext& context) const override
    {
        const IntList size = context.params.list("output_size");
        return { nullptr,
            [size](const std::vector<torch::Tensor>& in) { return torch::adaptive_avg_pool2d(in[0], size); } };
    }

    std::optional<PythonCode> pythonCode(
        const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const override
    {
        return PythonCode { {},
            "nn.functional.adaptive_avg_pool2d(" + python::firstInput(inputs) + ", "
                + python::tuple(context.params.list("output_size")) + ")" };
    }

    std::optional<std::string> torchScriptBody(const BuildContext& context) const override
    {
        return "return torch.adaptive_avg_pool2d(x0, " + python::list(context.params.list("output_size")) + ")";
    }
    bool onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const override
    {
        const IntList size = context.params.list("output_size");
        const Shape& input = context.inputs.at(0);
        if (size == IntList { 1, 1 }) {
            onnx.node("GlobalAveragePool", { onnx.inputs().at(0) }, { onnx.output() });
            return true;
        }
        if (input[2] % size[0] == 0 && input[3] % size[1] == 0) { // equal windows: a plain AveragePool
            const IntList window { input[2] / size[0], input[3] / size[1] };
            onnx.node("AveragePool", { onnx.inputs().at(0) }, { onnx.output() },
                { { "kernel_shape", window }, { "strides", window } });
            return true;
        }
        // PyTorch's windows [floor(i·in/out), ceil((i+1)·in/out)) overlap and differ in size. A mean
        // over a rectangle is the mean over rows of the means over columns, so pool each axis in turn.
        std::string value = onnx.inputs().at(0);
        for (int64_t axis = 2; axis < 4; ++axis) {
            const int64_t in = input[axis], out = size[static_cast<size_t>(axis - 2)];
            std::vector<std::string> means;
            for (int64_t i = 0; i < out; ++i) {
                const int64_t start = i * in / out, end = ((i + 1) * in + out - 1) / out;
                const std::string window = onnx.apply("Slice",
                    { value, onnx.ints("start", { start }), onnx.ints("end", { end }), onnx.ints("axis", { axis }) },
                    "window");
                means.push_back(onnx.apply("ReduceMean", { window }, "mean", { { "axes", IntList { axis } } }));
            }
            if (axis == 3) {
                onnx.node("Concat", means, { onnx.output() }, { { "axis", axis } });
                return true;
            }
            value = onnx.apply("Concat", means, "pooled", { { "axis", axis } });
        }
        return true;
    }
};

NETDRAFT_REGISTER_LAYER(AdaptiveAvgPool2dLayer);

} // namespace
} // namespace netdraft::engine
