#include "engine/layers/ConvArithmetic.h"

#include "engine/core/Shape.h"

namespace netdraft::engine {

WindowSettings readWindowSettings(const ParamReader& params, bool hasDilation)
{
    WindowSettings window;
    window.kernel = params.list("kernel_size");
    window.stride = params.list("stride");
    window.dilation = hasDilation ? params.list("dilation") : IntList(window.kernel.size(), 1);
    const std::string word = params.wordOrEmpty("padding");
    if (word == "same") {
        window.same = true;
        window.padding = IntList(window.kernel.size(), 0);
    } else if (word == "valid") {
        window.padding = IntList(window.kernel.size(), 0);
    } else {
        window.padding = params.list("padding");
    }
    return window;
}

void inferPooling(InferenceContext& context, int dims, bool hasDilation)
{
    if (!context.requireRank(0, dims + 2, dims == 1 ? "N×C×L" : "N×C×H×W"))
        return;
    const Shape& input = context.input();
    WindowSettings window = readWindowSettings(context.params(), hasDilation);
    window.ceilMode = context.params().boolean("ceil_mode");
    for (size_t i = 0; i < window.kernel.size(); ++i)
        if (window.padding[i] * 2 > window.kernel[i]) {
            context.error("padding " + formatParamValue(window.padding) + " must be at most half of kernel_size "
                + formatParamValue(window.kernel));
            break;
        }
    const IntList spatialInput(input.dims().begin() + 2, input.dims().end());
    IntList spatial = windowOutputSizes(context, spatialInput, window);
    if (spatial.empty())
        return;
    std::vector<int64_t> dimensions { Shape::kBatch, input[1] };
    dimensions.insert(dimensions.end(), spatial.begin(), spatial.end());
    context.setOutput(Shape(dimensions));
}

IntList windowOutputSizes(InferenceContext& context, const IntList& spatialInput, const WindowSettings& window)
{
    const size_t n = spatialInput.size();
    IntList output(n);
    bool ok = true;
    if (window.same) {
        for (int64_t s : window.stride)
            if (s != 1) {
                context.error("padding 'same' needs stride 1, got stride " + formatParamValue(window.stride));
                return {};
            }
        return spatialInput;
    }
    for (size_t i = 0; i < n; ++i) {
        const int64_t padded = spatialInput[i] + 2 * window.padding[i];
        const int64_t span = window.dilation[i] * (window.kernel[i] - 1) + 1;
        if (span > padded) {
            if (!ok)
                continue; // one message covers every dimension
            context.error("kernel " + formatParamValue(window.kernel)
                + (span != window.kernel[i] ? " (dilated to " + std::to_string(span) + ")" : "")
                + " is larger than the padded input " + formatFactors(spatialInput) + " + padding "
                + formatParamValue(window.padding));
            ok = false;
            continue;
        }
        const int64_t numerator = padded - span;
        int64_t steps = numerator / window.stride[i];
        if (window.ceilMode && numerator % window.stride[i] != 0) {
            // PyTorch: the last window must start inside the input or left padding.
            if (steps * window.stride[i] + window.stride[i] < spatialInput[i] + window.padding[i])
                ++steps;
        }
        output[i] = steps + 1;
    }
    return ok ? output : IntList {};
}

} // namespace netdraft::engine
