#include "engine/layers/AdaptivePooling.h"

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {

AdaptivePoolingLayer::AdaptivePoolingLayer(const char* type, const char* help, bool max, int dims)
    : LayerType({ type, type, category::kPooling, help,
        { ParamSpec::tuple("output_size", dims, 1)
                .min(1)
                .onBlock()
                .help(dims == 1 ? "Output length." : "Output height×width.") } })
    , max_(max)
    , dims_(dims)
{
}

std::string AdaptivePoolingLayer::function() const
{
    return (max_ ? "adaptive_max_pool" : "adaptive_avg_pool") + std::to_string(dims_) + "d";
}

void AdaptivePoolingLayer::inferShape(InferenceContext& context) const
{
    if (!context.requireRank(0, dims_ + 2, dims_ == 1 ? "N×C×L" : "N×C×H×W"))
        return;
    const IntList size = context.params().list("output_size");
    std::vector<int64_t> dimensions { Shape::kBatch, context.input()[1] };
    dimensions.insert(dimensions.end(), size.begin(), size.end());
    context.setOutput(Shape(dimensions));
}

BuiltBlock AdaptivePoolingLayer::build(const BuildContext& context) const
{
    const IntList size = context.params.list("output_size");
    if (max_) // adaptive_max_pool*d returns the maxima and their indices
        return { nullptr, [size, dims = dims_](const std::vector<torch::Tensor>& in) {
                    return std::get<0>(
                        dims == 1 ? torch::adaptive_max_pool1d(in[0], size) : torch::adaptive_max_pool2d(in[0], size));
                } };
    return { nullptr, [size, dims = dims_](const std::vector<torch::Tensor>& in) {
                return dims == 1 ? torch::adaptive_avg_pool1d(in[0], size) : torch::adaptive_avg_pool2d(in[0], size);
            } };
}

std::optional<PythonCode> AdaptivePoolingLayer::pythonCode(
    const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const
{
    return PythonCode { {},
        "nn.functional." + function() + "(" + python::firstInput(inputs) + ", "
            + python::tuple(context.params.list("output_size")) + ")" };
}

std::optional<std::string> AdaptivePoolingLayer::torchScriptBody(const BuildContext& context) const
{
    return "return torch." + function() + "(x0, " + python::list(context.params.list("output_size")) + ")"
        + (max_ ? "[0]" : "");
}

bool AdaptivePoolingLayer::onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
{
    writeAdaptivePoolingOnnx(onnx, context.inputs.at(0), context.params.list("output_size"), max_);
    return true;
}

void writeAdaptivePoolingOnnx(OnnxBuilder& onnx, const Shape& input, const IntList& outputSize, bool max)
{
    const size_t dims = outputSize.size();
    if (outputSize == IntList(dims, 1)) {
        onnx.node(max ? "GlobalMaxPool" : "GlobalAveragePool", { onnx.inputs().at(0) }, { onnx.output() });
        return;
    }
    bool even = true;
    IntList window;
    for (size_t i = 0; i < dims; ++i) {
        even = even && input[static_cast<int64_t>(i) + 2] % outputSize[i] == 0;
        window.push_back(input[static_cast<int64_t>(i) + 2] / outputSize[i]);
    }
    if (even) { // equal windows: a plain pool
        onnx.node(max ? "MaxPool" : "AveragePool", { onnx.inputs().at(0) }, { onnx.output() },
            { { "kernel_shape", window }, { "strides", window } });
        return;
    }
    // The windows overlap and differ in size. A mean (or maximum) over a box is the mean over one axis
    // of the means over the others, so pool each axis in turn.
    std::string value = onnx.inputs().at(0);
    for (size_t i = 0; i < dims; ++i) {
        const int64_t axis = static_cast<int64_t>(i) + 2;
        const int64_t in = input[axis], out = outputSize[i];
        std::vector<std::string> pooled;
        for (int64_t j = 0; j < out; ++j) {
            const int64_t start = j * in / out, end = ((j + 1) * in + out - 1) / out;
            const std::string part = onnx.apply("Slice",
                { value, onnx.ints("start", { start }), onnx.ints("end", { end }), onnx.ints("axis", { axis }) },
                "window");
            pooled.push_back(
                onnx.apply(max ? "ReduceMax" : "ReduceMean", { part }, "pooled", { { "axes", IntList { axis } } }));
        }
        if (i + 1 == dims) {
            onnx.node("Concat", pooled, { onnx.output() }, { { "axis", axis } });
            return;
        }
        value = onnx.apply("Concat", pooled, "pooled_axis", { { "axis", axis } });
    }
}

} // namespace netdraft::engine
