#include "engine/layers/ConvolutionLayer.h"

#include "engine/layers/ConvArithmetic.h"
#include "engine/layers/PythonFormat.h"

#include <cstdint>

namespace netdraft::engine {

namespace {

LayerDescription convolutionDescription(int dims, std::string help)
{
    const std::string extent = dims == 1 ? "length" : dims == 2 ? "height×width" : "depth×height×width";
    return { "Conv" + std::to_string(dims) + "d", "Conv" + std::to_string(dims) + "d", category::kConvolution,
        std::move(help),
        { ParamSpec::inferredInteger("in_channels")
                .help("Input channels; inferred from the incoming shape unless pinned."),
            ParamSpec::integer("out_channels", 32).min(1).onBlock().help("Number of filters."),
            ParamSpec::tuple("kernel_size", dims, 3).min(1).onBlock().help("Filter " + extent + "."),
            ParamSpec::tuple("stride", dims, 1).min(1).help("Step between windows."),
            ParamSpec::tuple("padding", dims, 0)
                .min(0)
                .alsoAllow({ "same", "valid" })
                .help("Zeros added on each side, 'same' to keep the size (stride 1) or 'valid' for none."),
            ParamSpec::tuple("dilation", dims, 1).min(1).isAdvanced().help("Spacing between kernel taps."),
            ParamSpec::integer("groups", 1)
                .min(1)
                .isAdvanced()
                .help("Split channels into groups convolved separately; must divide both channel counts."),
            ParamSpec::boolean("bias", true).isAdvanced().help("Learn an additive bias per filter."),
            ParamSpec::choice("padding_mode", "zeros", { "zeros", "reflect", "replicate", "circular" })
                .isAdvanced()
                .help("How padded values are filled: zeros, a mirror image, the edge value or a wrap-around.") } };
}

/// Reflection needs padding below the input size, wrap-around at most the input size.
void checkPaddingMode(InferenceContext& context, const IntList& spatialInput, const WindowSettings& window)
{
    const std::string& mode = context.params().word("padding_mode");
    if (mode != "reflect" && mode != "circular")
        return;
    for (size_t i = 0; i < spatialInput.size(); ++i) {
        const int64_t total = window.dilation[i] * (window.kernel[i] - 1);
        const int64_t pad = window.same ? total - total / 2 : window.padding[i]; // the larger side
        const int64_t limit = mode == "reflect" ? spatialInput[i] - 1 : spatialInput[i];
        if (pad > limit) {
            context.error("padding_mode '" + mode + "' needs padding of at most " + std::to_string(limit)
                + " for the input " + formatFactors(spatialInput) + ", got " + std::to_string(pad));
            return;
        }
    }
}

/// Padding before and after each spatial dimension; 'same' puts the odd one after, like PyTorch.
std::pair<IntList, IntList> paddingSides(const WindowSettings& window)
{
    IntList begins, ends;
    for (size_t i = 0; i < window.kernel.size(); ++i) {
        const int64_t total = window.dilation[i] * (window.kernel[i] - 1);
        begins.push_back(window.same ? total / 2 : window.padding[i]);
        ends.push_back(window.same ? total - total / 2 : window.padding[i]);
    }
    return { begins, ends };
}

/// `input` padded by a reflect, replicate or circular padding_mode. Opset 17's Pad has no wrap mode,
/// so circular padding concatenates slices from the other end, one dimension after the other.
std::string onnxModePadding(
    OnnxBuilder& onnx, std::string input, const IntList& begins, const IntList& ends, const std::string& mode)
{
    const size_t dims = begins.size();
    if (mode == "circular") {
        for (size_t i = 0; i < dims; ++i) {
            const int64_t axis = static_cast<int64_t>(i) + 2;
            std::vector<std::string> parts;
            if (begins[i] > 0)
                parts.push_back(onnx.apply("Slice",
                    { input, onnx.ints("start", { -begins[i] }), onnx.ints("end", { INT64_MAX }),
                        onnx.ints("axis", { axis }) },
                    "wrap_before"));
            parts.push_back(input);
            if (ends[i] > 0)
                parts.push_back(onnx.apply("Slice",
                    { input, onnx.ints("start", { 0 }), onnx.ints("end", { ends[i] }), onnx.ints("axis", { axis }) },
                    "wrap_after"));
            if (parts.size() > 1)
                input = onnx.apply("Concat", parts, "wrapped", { { "axis", axis } });
        }
        return input;
    }
    IntList pads(2, 0); // N and C before
    pads.insert(pads.end(), begins.begin(), begins.end());
    pads.insert(pads.end(), { 0, 0 });
    pads.insert(pads.end(), ends.begin(), ends.end());
    return onnx.apply("Pad", { input, onnx.ints("pads", pads) }, "padded",
        { { "mode", std::string(mode == "replicate" ? "edge" : "reflect") } });
}

} // namespace

ConvolutionLayer::ConvolutionLayer(int dims, std::string help)
    : LayerType(convolutionDescription(dims, std::move(help)))
    , dims_(dims)
{
}

void ConvolutionLayer::inferShape(InferenceContext& context) const
{
    if (!context.requireRank(0, 2 + dims_, dims_ == 1 ? "N×C×L" : dims_ == 2 ? "N×C×H×W" : "N×C×D×H×W"))
        return;
    const Shape& input = context.input();
    const auto& params = context.params();
    const int64_t inChannels = context.inferFromInput("in_channels", input[1], "input channels");
    const int64_t outChannels = params.integer("out_channels");
    const int64_t groups = params.integer("groups");
    // Each group convolves in_channels / groups channels into out_channels / groups (depthwise: groups =
    // in_channels).
    if (inChannels % groups != 0)
        context.error("groups " + std::to_string(groups) + " must divide in_channels " + std::to_string(inChannels)
            + " (each group reads in_channels / groups channels)");
    if (outChannels % groups != 0)
        context.error("groups " + std::to_string(groups) + " must divide out_channels " + std::to_string(outChannels)
            + " (each group makes out_channels / groups channels)");
    const WindowSettings window = readWindowSettings(params);
    const IntList spatialInput(input.dims().begin() + 2, input.dims().end());
    checkPaddingMode(context, spatialInput, window);
    IntList spatial = windowOutputSizes(context, spatialInput, window);
    if (spatial.empty())
        return;
    std::vector<int64_t> dims { Shape::kBatch, outChannels };
    dims.insert(dims.end(), spatial.begin(), spatial.end());
    context.setOutput(Shape(dims));
}

IntList ConvolutionLayer::explicitPadding(const ParamReader& params)
{
    const WindowSettings window = readWindowSettings(params);
    IntList padding;
    for (size_t i = window.kernel.size(); i-- > 0;) {
        if (window.same) {
            const int64_t total = window.dilation[i] * (window.kernel[i] - 1);
            padding.push_back(total / 2);
            padding.push_back(total - total / 2);
        } else {
            padding.push_back(window.padding[i]);
            padding.push_back(window.padding[i]);
        }
    }
    return padding;
}

std::optional<PythonCode> ConvolutionLayer::pythonCode(
    const BuildContext& context, const std::string& attribute, const std::vector<std::string>& inputs) const
{
    const auto& params = context.params;
    const std::string word = params.wordOrEmpty("padding");
    std::string constructor = "nn." + type() + "(" + std::to_string(params.integer("in_channels")) + ", "
        + std::to_string(params.integer("out_channels")) + ", kernel_size=" + python::tuple(params.list("kernel_size"))
        + ", stride=" + python::tuple(params.list("stride"))
        + ", padding=" + (word.empty() ? python::tuple(params.list("padding")) : python::quoted(word));
    if (params.list("dilation") != IntList(static_cast<size_t>(dims_), 1))
        constructor += ", dilation=" + python::tuple(params.list("dilation"));
    if (params.integer("groups") != 1)
        constructor += ", groups=" + std::to_string(params.integer("groups"));
    constructor += ", bias=" + python::boolean(params.boolean("bias"));
    if (params.word("padding_mode") != "zeros")
        constructor += ", padding_mode=" + python::quoted(params.word("padding_mode"));
    return PythonCode { constructor + ")", "self." + attribute + "(" + python::firstInput(inputs) + ")" };
}

std::optional<std::string> ConvolutionLayer::torchScriptBody(const BuildContext& context) const
{
    const auto& params = context.params;
    const std::string word = params.wordOrEmpty("padding");
    std::string input = "x0";
    std::string padding = word.empty() ? python::list(params.list("padding")) : python::quoted(word);
    std::string body;
    if (params.word("padding_mode") != "zeros") {
        body = "x = torch.pad(x0, " + python::list(explicitPadding(params)) + ", "
            + python::quoted(params.word("padding_mode")) + ", None)\n";
        input = "x";
        padding = python::list(IntList(static_cast<size_t>(dims_), 0));
    }
    return body + "return torch." + "conv" + std::to_string(dims_) + "d(" + input + ", self.weight, "
        + (params.boolean("bias") ? "self.bias" : "None") + ", " + python::list(params.list("stride")) + ", " + padding
        + ", " + python::list(params.list("dilation")) + ", " + std::to_string(params.integer("groups")) + ")";
}

int64_t ConvolutionLayer::multiplyAccumulates(const BuildContext& context) const
{
    int64_t taps = context.params.integer("in_channels") / context.params.integer("groups");
    for (int64_t size : context.params.list("kernel_size"))
        taps *= size;
    return context.output.sampleElements() * taps;
}

bool ConvolutionLayer::onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
{
    const auto& params = context.params;
    const WindowSettings window = readWindowSettings(params);
    auto [begins, ends] = paddingSides(window);
    std::string input = onnx.inputs().at(0);
    const std::string mode = params.word("padding_mode");
    if (mode != "zeros") {
        input = onnxModePadding(onnx, input, begins, ends, mode);
        begins.assign(begins.size(), 0);
        ends.assign(ends.size(), 0);
    }
    IntList pads = begins; // ONNX: all the begins, then all the ends
    pads.insert(pads.end(), ends.begin(), ends.end());
    std::vector<std::string> inputs { input, onnx.parameter("weight") };
    if (params.boolean("bias"))
        inputs.push_back(onnx.parameter("bias"));
    onnx.node("Conv", inputs, { onnx.output() },
        { { "kernel_shape", window.kernel }, { "strides", window.stride }, { "dilations", window.dilation },
            { "group", params.integer("groups") }, { "pads", pads } });
    return true;
}

} // namespace netdraft::engine
