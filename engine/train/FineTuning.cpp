#include "engine/train/FineTuning.h"

#include "engine/core/Error.h"

#include <filesystem>
#include <map>

namespace netdraft::engine {

std::string resolveProjectFile(const std::string& projectDirectory, const std::string& path)
{
    if (path.empty() || std::filesystem::path(path).is_absolute() || projectDirectory.empty())
        return path;
    return (std::filesystem::path(projectDirectory) / path).lexically_normal().string();
}

WeightsMismatch importMatchingWeightsFile(torch::nn::Module& model, const std::string& path)
{
    const NamedTensors file = readWeightsFile(path); // a state dict, or a Netdraft run's weights.pt
    WeightsMismatch mismatch = compareWeights(model, file);
    std::set<std::string> skipped;
    for (const std::string& line : mismatch.wrongShape)
        skipped.insert(line.substr(0, line.find(':')));
    NamedTensors fitting;
    std::map<std::string, bool> inModel;
    for (const auto& item : model.named_parameters())
        inModel[item.key()] = true;
    for (const auto& item : model.named_buffers())
        inModel[item.key()] = true;
    for (const auto& [name, tensor] : file)
        if (inModel.count(name) && !skipped.count(name))
            fitting.emplace_back(name, tensor);
    ND_CHECK(!fitting.empty() || file.empty(), path, ": none of its weights fit the model:", mismatch.toString());
    torch::NoGradGuard noGrad;
    std::map<std::string, torch::Tensor> targets;
    for (const auto& item : model.named_parameters())
        targets[item.key()] = item.value();
    for (const auto& item : model.named_buffers())
        targets[item.key()] = item.value();
    for (const auto& [name, tensor] : fitting)
        targets.at(name).copy_(tensor);
    return mismatch;
}

std::set<std::string> frozenBlockIds(const CompiledNetwork& network)
{
    std::set<std::string> frozen;
    for (const NetworkStep& step : network.steps())
        if (step.block->frozen) // expansion passes an instance's flag to the blocks inside it
            frozen.insert(step.id());
    return frozen;
}

void freezeBlocks(GraphModelImpl& model, const CompiledNetwork& network)
{
    for (const std::string& id : frozenBlockIds(network))
        if (auto module = model.blockModule(id))
            for (torch::Tensor& parameter : module->parameters())
                parameter.set_requires_grad(false);
}

std::set<std::string> evalModeBlockIds(const CompiledNetwork& network, const TrainingSettings& settings)
{
    ND_CHECK(settings.frozenBatchNorm == "eval" || settings.frozenBatchNorm == "train",
        "training setting frozen_batch_norm: eval or train, got '", settings.frozenBatchNorm, "'");
    return settings.frozenBatchNorm == "eval" ? frozenBlockIds(network) : std::set<std::string>();
}

void keepFrozenBlocksInEval(GraphModelImpl& model, const std::set<std::string>& blocks)
{
    for (const std::string& id : blocks)
        if (auto module = model.blockModule(id))
            module->eval();
}

ParameterSplit parameterSplit(const GraphModelImpl& model, const CompiledNetwork& network)
{
    ParameterSplit split;
    const std::set<std::string> frozen = frozenBlockIds(network);
    for (const std::string& id : model.order()) {
        const int64_t count = model.parameterCounts().at(id);
        (frozen.count(id) ? split.frozen : split.trainable) += count;
    }
    return split;
}

} // namespace netdraft::engine
