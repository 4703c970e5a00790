#include "engine/layers/PoolingLayer.h"

#include "engine/layers/BuiltBlock.h"
#include "engine/layers/ConvArithmetic.h"
#include "engine/layers/OnnxBuilder.h"
#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {
namespace {

std::vector<ParamSpec> poolingParams(PoolingLayer::Kind kind, int dims)
{
    const bool max = kind == PoolingLayer::Kind::Max;
    const int defaultSize = 2;
    std::vector<ParamSpec> params {
        ParamSpec::tuple("kernel_size", dims, defaultSize)
            .min(1)
            .onBlock()
            .help(dims == 1 ? "Window length." : "Window height×width."),
        ParamSpec::tuple("stride", dims, defaultSize).min(1).help("Step between windows (usually the kernel size)."),
        ParamSpec::tuple("padding", dims, 0)
            .min(0)
            .help(max ? "Implicit -inf padding on each side." : "Implicit zero padding on each side."),
    };
    if (max)
        params.push_back(
            ParamSpec::tuple("dilation", dims, 1).min(1).isAdvanced().help("Spacing between window taps."));
    params.push_back(ParamSpec::boolean("ceil_mode", false)
                         .isAdvanced()
                         .help(dims == 1 ? "Round the output length up instead of down."
                                         : "Round the output size up instead of down."));
    if (!max)
        params.push_back(ParamSpec::boolean("count_include_pad", true)
                             .isAdvanced()
                             .help("Count padded zeros in the divisor of each mean."));
    return params;
}

} // namespace

PoolingLayer::PoolingLayer(const char* type, const char* help, Kind kind, int dims)
    : LayerType({ type, type, category::kPooling, help, poolingParams(kind, dims) })
    , kind_(kind)
    , dims_(dims)
{
}

std::string PoolingLayer::function() const
{
    return (kind_ == Kind::Max ? "max_pool" : "avg_pool") + std::to_string(dims_) + "d";
}

void PoolingLayer::inferShape(InferenceContext& context) const
{
    inferPooling(context, dims_, kind_ == Kind::Max);
}

BuiltBlock PoolingLayer::build(const BuildContext& context) const
{
    const auto& params = context.params;
    const IntList kernel = params.list("kernel_size"), stride = params.list("stride"), padding = params.list("padding");
    const bool ceil = params.boolean("ceil_mode");
    if (kind_ == Kind::Max) {
        const IntList dilation = params.list("dilation");
        if (dims_ == 1)
            return { nullptr, [=](const std::vector<torch::Tensor>& in) {
                        return torch::max_pool1d(in[0], kernel, stride, padding, dilation, ceil);
                    } };
        return { nullptr, [=](const std::vector<torch::Tensor>& in) {
                    return torch::max_pool2d(in[0], kernel, stride, padding, dilation, ceil);
                } };
    }
    const bool includePad = params.boolean("count_include_pad");
    if (dims_ == 1)
        return { nullptr, [=](const std::vector<torch::Tensor>& in) {
                    return torch::avg_pool1d(in[0], kernel, stride, padding, ceil, includePad);
                } };
    return { nullptr, [=](const std::vector<torch::Tensor>& in) {
                return torch::avg_pool2d(in[0], kernel, stride, padding, ceil, includePad);
            } };
}

std::optional<PythonCode> PoolingLayer::pythonCode(
    const BuildContext& context, const std::string&, const std::vector<std::string>& inputs) const
{
    const auto& params = context.params;
    std::string call = "nn.functional." + function() + "(" + python::firstInput(inputs)
        + ", kernel_size=" + python::tuple(params.list("kernel_size"))
        + ", stride=" + python::tuple(params.list("stride")) + ", padding=" + python::tuple(params.list("padding"));
    if (kind_ == Kind::Max)
        call += ", dilation=" + python::tuple(params.list("dilation"));
    call += ", ceil_mode=" + python::boolean(params.boolean("ceil_mode"));
    if (kind_ == Kind::Average)
        call += ", count_include_pad=" + python::boolean(params.boolean("count_include_pad"));
    return PythonCode { {}, call + ")" };
}

std::optional<std::string> PoolingLayer::torchScriptBody(const BuildContext& context) const
{
    const auto& params = context.params;
    std::string call = "return torch." + function() + "(x0, " + python::list(params.list("kernel_size")) + ", "
        + python::list(params.list("stride")) + ", " + python::list(params.list("padding")) + ", ";
    if (kind_ == Kind::Max)
        return call + python::list(params.list("dilation")) + ", " + python::boolean(params.boolean("ceil_mode")) + ")";
    call += python::boolean(params.boolean("ceil_mode")) + ", " + python::boolean(params.boolean("count_include_pad"));
    return call + (dims_ == 2 ? ", None)" : ")"); // avg_pool2d's divisor_override
}

bool PoolingLayer::onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
{
    const auto& params = context.params;
    IntList pads = params.list("padding"); // the starts of every dimension, then the ends
    pads.insert(pads.end(), pads.begin(), pads.end());
    std::vector<OnnxAttribute> attributes { { "kernel_shape", params.list("kernel_size") },
        { "strides", params.list("stride") }, { "pads", pads } };
    if (kind_ == Kind::Max)
        attributes.push_back({ "dilations", params.list("dilation") });
    attributes.push_back({ "ceil_mode", int64_t(params.boolean("ceil_mode")) });
    if (kind_ == Kind::Average)
        attributes.push_back({ "count_include_pad", int64_t(params.boolean("count_include_pad")) });
    onnx.node(kind_ == Kind::Max ? "MaxPool" : "AveragePool", { onnx.inputs().at(0) }, { onnx.output() }, attributes);
    return true;
}

} // namespace netdraft::engine
