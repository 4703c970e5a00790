#include "engine/train/WeightsImport.h"

#include "engine/core/Error.h"
#include "engine/io/ZipContainerCheck.h"
#include "engine/io/AtomicFile.h"
#include "engine/train/Checkpoint.h"

#include <map>
#include <sstream>

namespace netdraft::engine {

namespace {

std::string shapeText(const torch::Tensor& tensor)
{
    std::string text;
    for (int64_t size : tensor.sizes())
        text += (text.empty() ? "" : "×") + std::to_string(size);
    return text.empty() ? "scalar" : text;
}

/// The model's tensors by name: parameters and buffers.
std::map<std::string, torch::Tensor> targetsOf(const torch::nn::Module& model)
{
    std::map<std::string, torch::Tensor> targets;
    for (const auto& item : model.named_parameters())
        targets[item.key()] = item.value();
    for (const auto& item : model.named_buffers())
        targets[item.key()] = item.value();
    return targets;
}

} // namespace

std::string WeightsMismatch::toString() const
{
    std::ostringstream out;
    auto group = [&out](const char* title, const std::vector<std::string>& lines) {
        if (lines.empty())
            return;
        out << "\n  " << title << ":";
        for (const std::string& line : lines)
            out << "\n    " << line;
    };
    group("missing from the file", missing);
    group("not in the model", unexpected);
    group("different shape or type", wrongShape);
    return out.str();
}

WeightsMismatch compareWeights(const torch::nn::Module& model, const NamedTensors& weights)
{
    WeightsMismatch mismatch;
    const std::map<std::string, torch::Tensor> targets = targetsOf(model);
    std::map<std::string, const torch::Tensor*> given;
    for (const auto& [name, tensor] : weights) {
        if (!given.emplace(name, &tensor).second)
            mismatch.unexpected.push_back(name + " (appears twice)");
    }
    for (const auto& [name, target] : targets) {
        auto it = given.find(name);
        if (it == given.end()) {
            mismatch.missing.push_back(name + " (" + shapeText(target) + ")");
            continue;
        }
        const torch::Tensor& source = *it->second;
        if (!source.defined() || source.sizes() != target.sizes())
            mismatch.wrongShape.push_back(name + ": file " + (source.defined() ? shapeText(source) : "undefined")
                                          + ", model " + shapeText(target));
        else if (source.is_floating_point() != target.is_floating_point())
            mismatch.wrongShape.push_back(name + ": file " + std::string(c10::toString(source.scalar_type()))
                                          + ", model " + c10::toString(target.scalar_type()));
    }
    for (const auto& [name, tensor] : given)
        if (!targets.count(name))
            mismatch.unexpected.push_back(name + " (" + (tensor->defined() ? shapeText(*tensor) : "undefined") + ")");
    return mismatch;
}

void importWeights(torch::nn::Module& model, const NamedTensors& weights, const std::string& sourceName)
{
    const WeightsMismatch mismatch = compareWeights(model, weights);
    ND_CHECK(mismatch.empty(), sourceName, ": the weights do not fit the model; nothing was loaded:",
             mismatch.toString());
    std::map<std::string, torch::Tensor> targets = targetsOf(model);
    torch::NoGradGuard noGrad;
    for (const auto& [name, tensor] : weights)
        targets.at(name).copy_(tensor);
}

namespace {

/// A module archive (code/ beside the tensors) is a Netdraft checkpoint or weights file (a run's weights.pt).
bool holdsModule(const PtArchiveContents& contents)
{
    for (const PtArchiveEntry& entry : contents.entries)
        if (entry.name.rfind(contents.archiveName + "/code/", 0) == 0)
            return true;
    return false;
}

} // namespace

OpenedWeights openWeightsFile(const std::string& path)
{
    std::string bytes = readFileLimited(path, kMaxPtFileBytes);
    const PtArchiveContents contents = checkPtArchive(bytes, PtArchiveKind::Pickle, path);
    OpenedWeights opened;
    if (holdsModule(contents))
        opened.checkpoint = Checkpoint::fromCheckedArchive(std::move(bytes), contents, path);
    else
        opened.stateDict = readTensorDict(bytes, path);
    return opened;
}

NamedTensors readWeightsFile(const std::string& path)
{
    OpenedWeights opened = openWeightsFile(path);
    return opened.checkpoint ? opened.checkpoint->modelState() : std::move(opened.stateDict);
}

void importWeightsFile(torch::nn::Module& model, const std::string& path)
{
    importWeights(model, readWeightsFile(path), path);
}

} // namespace netdraft::engine
