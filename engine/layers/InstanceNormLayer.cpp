#include "engine/layers/InstanceNormLayer.h"

namespace netdraft::engine {

InstanceNormLayer::InstanceNormLayer(int dims, std::string layout, std::string help)
    : RunningStatsNormLayer("InstanceNorm", dims, std::move(help),
        ParamSpec::real("momentum", 0.1)
            .min(0)
            .max(1)
            .isAdvanced()
            .help("Weight of the current batch when updating the running statistics (if tracked)."),
        ParamSpec::boolean("affine", false).help("Learn a scale and shift per channel."),
        ParamSpec::boolean("track_running_stats", false)
            .isAdvanced()
            .help("Keep running statistics and use them in evaluation instead of each sample's own."))
    , dims_(dims)
    , layout_(std::move(layout))
{
}

void InstanceNormLayer::inferShape(InferenceContext& context) const
{
    if (!context.requireRank(0, dims_ + 2, layout_))
        return;
    inferChannels(context);
}

std::optional<std::string> InstanceNormLayer::torchScriptBody(const BuildContext& context) const
{
    return normScript(context.params, "instance_norm", false); // cudnn_enabled
}

bool InstanceNormLayer::onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
{
    const auto& params = context.params;
    const auto [scale, bias] = onnxScaleAndBias(onnx, params);
    if (params.boolean("track_running_stats")) {
        writeRunningStatsOnnx(onnx, scale, bias, { { "epsilon", params.real("eps") } });
        return true;
    }
    onnx.node("InstanceNormalization", { onnx.inputs().at(0), scale, bias }, { onnx.output() },
        { { "epsilon", params.real("eps") } });
    return true;
}

} // namespace netdraft::engine
