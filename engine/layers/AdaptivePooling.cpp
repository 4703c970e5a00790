#include "engine/layers/AdaptivePooling.h"

namespace netdraft::engine {

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
