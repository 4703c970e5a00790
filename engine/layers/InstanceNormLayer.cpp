#include "engine/layers/InstanceNormLayer.h"

#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {

InstanceNormLayer::InstanceNormLayer(int dims, std::string layout, std::string help)
    : LayerType({ "InstanceNorm" + std::to_string(dims) + "d", "InstanceNorm" + std::to_string(dims) + "d",
        category::kNormalization, std::move(help),
        { ParamSpec::inferredInteger("num_features")
                .help("Channels normalised; inferred from the incoming shape unless pinned."),
            ParamSpec::real("eps", 1e-5).min(0).isAdvanced().help("Added to the variance for stability."),
            ParamSpec::real("momentum", 0.1)
                .min(0)
                .max(1)
                .isAdvanced()
                .help("Weight of the current batch when updating the running statistics (if tracked)."),
            ParamSpec::boolean("affine", false).help("Learn a scale and shift per channel."),
            ParamSpec::boolean("track_running_stats", false)
                .isAdvanced()
                .help("Keep running statistics and use them in evaluation instead of each sample's own.") } })
    , dims_(dims)
    , layout_(std::move(layout))
{
}

void InstanceNormLayer::inferShape(InferenceContext& context) const
{
    if (!context.requireRank(0, dims_ + 2, layout_))
        return;
    context.inferFromInput("num_features", context.input()[1], "channels");
    context.setOutput(context.input());
}

std::optional<PythonCode> InstanceNormLayer::pythonCode(
    const BuildContext& context, const std::string& attribute, const std::vector<std::string>& inputs) const
{
    const auto& params = context.params;
    return PythonCode { "nn." + type() + "(" + std::to_string(params.integer("num_features"))
            + ", eps=" + python::real(params.real("eps")) + ", momentum=" + python::real(params.real("momentum"))
            + ", affine=" + python::boolean(params.boolean("affine"))
            + ", track_running_stats=" + python::boolean(params.boolean("track_running_stats")) + ")",
        "self." + attribute + "(" + python::firstInput(inputs) + ")" };
}

std::optional<std::string> InstanceNormLayer::torchScriptBody(const BuildContext& context) const
{
    const auto& params = context.params;
    const bool tracked = params.boolean("track_running_stats");
    return std::string("return torch.instance_norm(x0, ")
        + (params.boolean("affine") ? "self.weight, self.bias, " : "None, None, ")
        + (tracked ? "self.running_mean, self.running_var, False, " : "None, None, True, ")
        + python::real(params.real("momentum")) + ", " + python::real(params.real("eps")) + ", False)";
}

bool InstanceNormLayer::onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
{
    const auto& params = context.params;
    const int64_t channels = params.integer("num_features");
    const bool affine = params.boolean("affine");
    auto filled = [&](const char* hint, float value) {
        return onnx.constant(
            hint, OnnxTensorValues::ofFloats({ channels }, std::vector<float>(static_cast<size_t>(channels), value)));
    };
    const std::string scale = affine ? onnx.parameter("weight") : filled("scale", 1.0f);
    const std::string bias = affine ? onnx.parameter("bias") : filled("bias", 0.0f);
    const std::string& x = onnx.inputs().at(0);
    if (params.boolean("track_running_stats")) {
        onnx.node("BatchNormalization",
            { x, scale, bias, onnx.parameter("running_mean"), onnx.parameter("running_var") }, { onnx.output() },
            { { "epsilon", params.real("eps") } });
        return true;
    }
    onnx.node("InstanceNormalization", { x, scale, bias }, { onnx.output() }, { { "epsilon", params.real("eps") } });
    return true;
}

} // namespace netdraft::engine
