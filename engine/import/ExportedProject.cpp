#include "engine/import/ExportedProject.h"

#include "engine/core/Error.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/import/ImportedGraph.h"
#include "engine/io/ProjectFormat.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"

#include <filesystem>
#include <set>

namespace netdraft::engine {

namespace {

std::string shapeText(c10::IntArrayRef sizes)
{
    std::string text;
    for (int64_t size : sizes)
        text += (text.empty() ? "" : "×") + std::to_string(size);
    return text.empty() ? "scalar" : text;
}

/// BatchNorm's step counter matters only with momentum None, and ONNX has no place for it.
bool isCounter(const std::string& name)
{
    const std::string counter = "num_batches_tracked";
    return name.size() >= counter.size() && name.compare(name.size() - counter.size(), counter.size(), counter) == 0;
}

void setTensor(const NetworkStep& block, const std::string& name, torch::Tensor& target,
    const ExportedTensorLookup& lookup, const std::string& sourceName, std::vector<std::string>& missing)
{
    const std::optional<torch::Tensor> value = lookup(block, name, target);
    if (!value) {
        if (!isCounter(name))
            missing.push_back("block " + block.id() + ": " + name);
        return;
    }
    ND_CHECK(value->sizes() == target.sizes(), sourceName, ": block ", block.id(), "'s ", name, " is ",
        shapeText(value->sizes()), " in the file but ", shapeText(target.sizes()),
        " in the project inside it: the file was changed after Netdraft exported it", kImportNetworkAloneHint);
    target.copy_(*value);
}

/// The composite instances a compiled network expanded, nested ones included: the prefixes of its ids.
int compositeInstanceCount(const CompiledNetwork& network)
{
    const std::string separator = kCompositeIdSeparator;
    std::set<std::string> instances;
    for (const NetworkStep* step : network.layers()) {
        const std::string& id = step->id();
        for (size_t at = id.find(separator); at != std::string::npos; at = id.find(separator, at + 1))
            instances.insert(id.substr(0, at));
    }
    return static_cast<int>(instances.size());
}

} // namespace

ExportMetadata readExportMetadata(const std::string& text, const std::string& where)
{
    try {
        return ExportMetadata::fromJson(text, where);
    } catch (const Error& error) {
        throw Error(error.what() + std::string(kImportNetworkAloneHint));
    }
}

std::optional<Project> projectInside(
    const std::optional<ExportMetadata>& metadata, const std::string& sourceName, std::vector<std::string>& notes)
{
    if (!metadata)
        return std::nullopt;
    if (metadata->project.empty()) {
        notes.push_back("exported by Netdraft " + metadata->netdraftVersion
            + " before exports carried their project: imported as a network");
        return std::nullopt;
    }
    try {
        return parseProject(metadata->project, sourceName + " (the project inside)");
    } catch (const std::exception& error) {
        throw Error(sourceName + ": Netdraft exported this model with its project, but that project cannot be read: "
            + error.what() + kImportNetworkAloneHint);
    }
}

RestoredProject restoreProject(Project project, const ExportMetadata& metadata, const std::string& sourceName,
    const ExportedTensorLookup& lookup, std::vector<std::string>& missing)
{
    CompiledNetwork network = [&] {
        try {
            return CompiledNetwork::compile(project);
        } catch (const std::exception& error) {
            throw Error(sourceName + ": the project inside does not build a network: " + error.what()
                + kImportNetworkAloneHint);
        }
    }();
    GraphModel model = buildModel(network, static_cast<uint64_t>(project.training.seed));
    {
        torch::NoGradGuard noGrad;
        for (const NetworkStep* block : network.layers()) {
            const std::shared_ptr<torch::nn::Module> module = model->blockModule(block->id());
            if (!module)
                continue;
            for (auto& item : module->named_parameters(true))
                setTensor(*block, item.key(), item.value(), lookup, sourceName, missing);
            for (auto& item : module->named_buffers(true))
                setTensor(*block, item.key(), item.value(), lookup, sourceName, missing);
        }
    }
    RestoredProject restored;
    restored.weights = namedState(*model);
    restored.inputShape = network.signature().inputShape;
    restored.parameterCount = model->totalParameters();
    restored.blockCounts = blockCountsOf(network);
    restored.compositeInstances = compositeInstanceCount(network);
    restored.project = std::move(project);
    restored.projectDirectory = metadata.projectDirectory;
    restored.netdraftVersion = metadata.netdraftVersion;
    return restored;
}

void relocateDatasetPath(Project& project, const std::string& oldDirectory, const std::string& newDirectory,
    std::vector<std::string>& notes)
{
    namespace fs = std::filesystem;
    std::string& path = project.dataset.path;
    if (path.empty() || fs::path(path).is_absolute())
        return;
    std::error_code error;
    const fs::path fromNew = fs::path(newDirectory.empty() ? "." : newDirectory) / path;
    if (fs::exists(fromNew, error))
        return;
    if (!oldDirectory.empty() && fs::exists(fs::path(oldDirectory) / path, error)) {
        const std::string absolute = (fs::path(oldDirectory) / path).lexically_normal().string();
        notes.push_back("the dataset path " + path + " is now " + absolute + ", where the exported project found it");
        path = absolute;
        return;
    }
    notes.push_back("the dataset " + path + " is not found" + (oldDirectory.empty() ? "" : " (the exported project was in "
        + oldDirectory + ")") + ": choose it again in Dataset before training");
}

std::string restoredProjectNote(const RestoredProject& restored, const std::string& modelPath)
{
    const std::string file = std::filesystem::path(modelPath).filename().string();
    std::string note = file + " was exported by Netdraft"
        + (restored.netdraftVersion.empty() ? "" : " " + restored.netdraftVersion) + " from project \u201c"
        + restored.project.name + "\u201d";
    if (!restored.projectDirectory.empty())
        note += " (in " + restored.projectDirectory + ")";
    return note + ": opened as that project, with the file's weights";
}

} // namespace netdraft::engine
