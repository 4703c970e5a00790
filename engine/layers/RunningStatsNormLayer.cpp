#include "engine/layers/RunningStatsNormLayer.h"

#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {

RunningStatsNormLayer::RunningStatsNormLayer(const std::string& kind, int dims, std::string help, ParamSpec momentum,
    ParamSpec affine, ParamSpec trackRunningStats)
    : LayerType({ kind + std::to_string(dims) + "d", kind + std::to_string(dims) + "d", category::kNormalization,
        std::move(help),
        { ParamSpec::inferredInteger("num_features")
                .help("Channels normalised; inferred from the incoming shape unless pinned."),
            ParamSpec::real("eps", 1e-5).min(0).isAdvanced().help("Added to the variance for stability."),
            std::move(momentum), std::move(affine), std::move(trackRunningStats) } })
{
}

std::optional<PythonCode> RunningStatsNormLayer::pythonCode(
    const BuildContext& context, const std::string& attribute, const std::vector<std::string>& inputs) const
{
    const auto& params = context.params;
    return PythonCode { "nn." + type() + "(" + std::to_string(params.integer("num_features"))
            + ", eps=" + python::real(params.real("eps")) + ", momentum=" + python::real(params.real("momentum"))
            + ", affine=" + python::boolean(params.boolean("affine"))
            + ", track_running_stats=" + python::boolean(params.boolean("track_running_stats")) + ")",
        "self." + attribute + "(" + python::firstInput(inputs) + ")" };
}

void RunningStatsNormLayer::inferChannels(InferenceContext& context)
{
    context.inferFromInput("num_features", context.input()[1], "channels");
    context.setOutput(context.input());
}

std::string RunningStatsNormLayer::normScript(const ParamReader& params, const std::string& function, bool last)
{
    return "return torch." + function + "(x0, "
        + (params.boolean("affine") ? "self.weight, self.bias, " : "None, None, ")
        + (params.boolean("track_running_stats") ? "self.running_mean, self.running_var, False, "
                                                 : "None, None, True, ")
        + python::real(params.real("momentum")) + ", " + python::real(params.real("eps")) + ", " + python::boolean(last)
        + ")";
}

std::pair<std::string, std::string> RunningStatsNormLayer::onnxScaleAndBias(
    OnnxBuilder& onnx, const ParamReader& params)
{
    if (params.boolean("affine"))
        return { onnx.parameter("weight"), onnx.parameter("bias") };
    const int64_t channels = params.integer("num_features");
    auto filled = [&](const char* hint, float value) {
        return onnx.constant(
            hint, OnnxTensorValues::ofFloats({ channels }, std::vector<float>(static_cast<size_t>(channels), value)));
    };
    const std::string scale = filled("scale", 1.0f);
    return { scale, filled("bias", 0.0f) };
}

void RunningStatsNormLayer::writeRunningStatsOnnx(
    OnnxBuilder& onnx, const std::string& scale, const std::string& bias, std::vector<OnnxAttribute> attributes)
{
    onnx.node("BatchNormalization",
        { onnx.inputs().at(0), scale, bias, onnx.parameter("running_mean"), onnx.parameter("running_var") },
        { onnx.output() }, attributes);
}

} // namespace netdraft::engine
