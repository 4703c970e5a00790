#include "engine/layers/BatchNormLayer.h"

namespace netdraft::engine {

BatchNormLayer::BatchNormLayer(int dims, std::vector<std::pair<int64_t, std::string>> ranks, std::string help)
    : RunningStatsNormLayer("BatchNorm", dims, std::move(help),
        ParamSpec::real("momentum", 0.1)
            .min(0)
            .max(1)
            .help("Weight of the current batch when updating the running statistics."),
        ParamSpec::boolean("affine", true).isAdvanced().help("Learn a scale and shift per channel."),
        ParamSpec::boolean("track_running_stats", true)
            .isAdvanced()
            .help("Keep running statistics for evaluation; off uses batch statistics always."))
    , ranks_(std::move(ranks))
{
}

void BatchNormLayer::inferShape(InferenceContext& context) const
{
    const Shape& input = context.input();
    bool rankOk = false;
    for (const auto& [rank, layout] : ranks_)
        rankOk = rankOk || input.rank() == rank;
    if (!rankOk) {
        std::string layouts, ranks;
        for (const auto& [rank, layout] : ranks_) {
            layouts += (layouts.empty() ? "" : " or ") + layout;
            ranks += (ranks.empty() ? "" : " or ") + std::to_string(rank);
        }
        context.error(type() + " expects a " + layouts + " input (rank " + ranks + "), got " + input.toString()
            + " (rank " + std::to_string(input.rank()) + ")");
        return;
    }
    inferChannels(context);
}

std::optional<std::string> BatchNormLayer::torchScriptBody(const BuildContext& context) const
{
    return normScript(context.params, "batch_norm", true); // cudnn_enabled
}

bool BatchNormLayer::onnxNodes(const BuildContext& context, OnnxBuilder& onnx) const
{
    const auto& params = context.params;
    const int64_t channels = params.integer("num_features");
    const bool affine = params.boolean("affine");
    const std::string& x = onnx.inputs().at(0);
    if (params.boolean("track_running_stats")) {
        const auto [scale, bias] = onnxScaleAndBias(onnx, params);
        // ONNX's momentum weighs the running value, PyTorch's the batch.
        writeRunningStatsOnnx(
            onnx, scale, bias, { { "epsilon", params.real("eps") }, { "momentum", 1.0 - params.real("momentum") } });
        return true;
    }
    const int64_t rank = context.inputs.at(0).rank();
    IntList axes { 0 };
    for (int64_t axis = 2; axis < rank; ++axis)
        axes.push_back(axis);
    const std::string mean = onnx.apply("ReduceMean", { x }, "mean", { { "axes", axes } });
    const std::string centred = onnx.apply("Sub", { x, mean }, "centred");
    const std::string variance = onnx.apply(
        "ReduceMean", { onnx.apply("Mul", { centred, centred }, "squared") }, "variance", { { "axes", axes } });
    const std::string deviation = onnx.apply("Sqrt",
        { onnx.apply("Add", { variance, onnx.scalar("eps", static_cast<float>(params.real("eps"))) }, "shifted") },
        "deviation");
    if (!affine) {
        onnx.node("Div", { centred, deviation }, { onnx.output() });
        return true;
    }
    IntList perChannel(static_cast<size_t>(rank - 1), 1); // C×1×…×1 broadcasts over the positions
    perChannel.front() = channels;
    const std::string weight
        = onnx.constant("weight", OnnxTensorValues::ofFloats(perChannel, onnx.parameterValues("weight").floats));
    const std::string bias
        = onnx.constant("bias", OnnxTensorValues::ofFloats(perChannel, onnx.parameterValues("bias").floats));
    const std::string normalised = onnx.apply("Div", { centred, deviation }, "normalised");
    onnx.node("Add", { onnx.apply("Mul", { normalised, weight }, "scaled"), bias }, { onnx.output() });
    return true;
}

} // namespace netdraft::engine
