#include "engine/layers/BatchNormLayer.h"

#include "engine/layers/PythonFormat.h"

namespace netdraft::engine {

BatchNormLayer::BatchNormLayer(int dims, std::vector<std::pair<int64_t, std::string>> ranks, std::string help)
    : LayerType({ "BatchNorm" + std::to_string(dims) + "d", "BatchNorm" + std::to_string(dims) + "d",
        category::kNormalization, std::move(help),
        { ParamSpec::inferredInteger("num_features")
                .help("Channels normalised; inferred from the incoming shape unless pinned."),
            ParamSpec::real("eps", 1e-5).min(0).isAdvanced().help("Added to the variance for stability."),
            ParamSpec::real("momentum", 0.1)
                .min(0)
                .max(1)
                .help("Weight of the current batch when updating the running statistics."),
            ParamSpec::boolean("affine", true).isAdvanced().help("Learn a scale and shift per channel."),
            ParamSpec::boolean("track_running_stats", true)
                .isAdvanced()
                .help("Keep running statistics for evaluation; off uses batch statistics always.") } })
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
    context.inferFromInput("num_features", input[1], "channels");
    context.setOutput(input);
}

std::optional<PythonCode> BatchNormLayer::pythonCode(
    const BuildContext& context, const std::string& attribute, const std::vector<std::string>& inputs) const
{
    const auto& params = context.params;
    return PythonCode { "nn." + type() + "(" + std::to_string(params.integer("num_features"))
            + ", eps=" + python::real(params.real("eps")) + ", momentum=" + python::real(params.real("momentum"))
            + ", affine=" + python::boolean(params.boolean("affine"))
            + ", track_running_stats=" + python::boolean(params.boolean("track_running_stats")) + ")",
        "self." + attribute + "(" + python::firstInput(inputs) + ")" };
}

std::optional<std::string> BatchNormLayer::torchScriptBody(const BuildContext& context) const
{
    // Inference semantics: running statistics when tracked, otherwise the batch's own.
    const auto& params = context.params;
    const bool affine = params.boolean("affine");
    const bool tracked = params.boolean("track_running_stats");
    return std::string("return torch.batch_norm(x0, ") + (affine ? "self.weight, self.bias, " : "None, None, ")
        + (tracked ? "self.running_mean, self.running_var, False, " : "None, None, True, ")
        + python::real(params.real("momentum")) + ", " + python::real(params.real("eps")) + ", True)";
}

} // namespace netdraft::engine
