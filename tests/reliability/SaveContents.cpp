#include "tests/reliability/SaveContents.h"

#include "engine/export/ExportMetadata.h"
#include "engine/io/StateDict.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/io/ProjectFormat.h"
#include "engine/model/GraphModel.h"
#include "engine/train/Checkpoint.h"
#include "engine/train/GraphFingerprint.h"
#include "tests/engine/TestGraphs.h"

#include <torch/torch.h>

#include <map>
#include <stdexcept>

namespace netdraft::tests {

using namespace netdraft::engine;

namespace {

/// A project of realistic size (the classic CNN, and a description of ~64 KB so a save takes long
/// enough to be interrupted) whose name and description carry the tag.
Project projectVersion(char tag)
{
    Project project;
    project.name = std::string("kill test ") + tag;
    std::string description;
    while (description.size() < 64 * 1024)
        description += std::string("version ") + tag + " of the project written by the save loop. ";
    project.description = description;
    project.graph = classicCnn(true);
    return project;
}

struct CheckpointVersion {
    GraphModel model { nullptr };
    std::unique_ptr<torch::optim::SGD> optimizer;
    CheckpointContents contents;
};

/// A full training checkpoint (weights, SGD momentum, RNG state): ~1 MB.
CheckpointVersion& checkpointVersion(char tag)
{
    static std::map<char, CheckpointVersion> cache;
    CheckpointVersion& version = cache[tag];
    if (!version.model) {
        const Graph graph = classicCnn(true);
        version.model = buildModel(graph, tag == 'A' ? 1 : 2);
        version.optimizer = std::make_unique<torch::optim::SGD>(
            version.model->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
        // One step so the optimizer has state to write.
        version.optimizer->zero_grad();
        version.model->forward(torch::ones({ 2, 3, 32, 32 })).sum().backward();
        version.optimizer->step();
        version.contents.model = version.model.get();
        version.contents.optimizer = version.optimizer.get();
        version.contents.optimizerName = "sgd";
        version.contents.scheduleName = "constant";
        version.contents.graphHash = graphFingerprint(graph);
        version.contents.settingsJson = std::string("{\"version\":\"") + tag + "\"}";
        version.contents.rngState = at::detail::getDefaultCPUGenerator().get_state();
    }
    return version;
}

GraphModel& exportModel(char tag)
{
    static std::map<char, GraphModel> cache;
    auto found = cache.find(tag);
    if (found == cache.end()) {
        found = cache.emplace(tag, buildModel(classicCnn(true), tag == 'A' ? 1 : 2)).first;
        found->second->eval();
    }
    return found->second;
}

} // namespace

SaveKind saveKindFromName(const std::string& name)
{
    if (name == "project")
        return SaveKind::Project;
    if (name == "checkpoint")
        return SaveKind::Checkpoint;
    if (name == "export")
        return SaveKind::Export;
    throw std::invalid_argument("unknown save kind '" + name + "' (project, checkpoint or export)");
}

const char* saveKindName(SaveKind kind)
{
    switch (kind) {
    case SaveKind::Project:
        return "project";
    case SaveKind::Checkpoint:
        return "checkpoint";
    case SaveKind::Export:
        return "export";
    }
    return "?";
}

void saveVersion(SaveKind kind, char tag, const std::string& path)
{
    switch (kind) {
    case SaveKind::Project: {
        static std::map<char, Project> cache;
        auto found = cache.find(tag);
        if (found == cache.end())
            found = cache.emplace(tag, projectVersion(tag)).first;
        saveProjectFile(found->second, path);
        return;
    }
    case SaveKind::Checkpoint:
        saveCheckpoint(path, checkpointVersion(tag).contents);
        return;
    case SaveKind::Export: {
        const Graph graph = classicCnn(true);
        ExportMetadata metadata = metadataFromGraph(graph);
        metadata.projectName = std::string("kill test ") + tag;
        TorchScriptExportOptions options;
        options.verify = false; // the loop measures saving, not the output check
        exportTorchScript(graph, *exportModel(tag), metadata, path, options);
        return;
    }
    }
}

Graph tinyGraph()
{
    GraphBuilder builder;
    builder.input({ 8 })
        .then("Linear", { { "out_features", int64_t(4) } }, "fc1")
        .then("ReLU", {}, "relu")
        .then("Linear", { { "out_features", int64_t(3) } }, "fc2")
        .output();
    return builder.graph();
}

void writeSeedFiles(const std::string& folder)
{
    const Graph graph = tinyGraph();
    Project project;
    project.name = "tiny";
    project.graph = graph;
    saveProjectFile(project, folder + "/tiny.netdraft");
    GraphModel model = buildModel(graph, 5);
    exportStateDict(*model, folder + "/weights.pt");
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
    CheckpointContents contents;
    contents.model = model.get();
    contents.optimizer = &optimizer;
    contents.optimizerName = "sgd";
    contents.scheduleName = "constant";
    contents.graphHash = graphFingerprint(graph);
    contents.settingsJson = "{}";
    contents.rngState = at::detail::getDefaultCPUGenerator().get_state();
    saveCheckpoint(folder + "/checkpoint.pt", contents);
    model->eval();
    ExportMetadata metadata = metadataFromGraph(graph);
    metadata.projectName = "tiny";
    exportTorchScript(graph, *model, metadata, folder + "/model.pt");
}

char loadedVersion(SaveKind kind, const std::string& path)
{
    std::string name;
    switch (kind) {
    case SaveKind::Project: {
        const Project project = loadProjectFile(path);
        const char tag = project.name.empty() ? '?' : project.name.back();
        const Project expected = projectVersion(tag);
        if (project.name == expected.name && project.description == expected.description
            && project.graph.blocks().size() == expected.graph.blocks().size())
            return tag;
        name = project.name;
        break;
    }
    case SaveKind::Checkpoint: {
        const Checkpoint checkpoint = Checkpoint::open(path);
        name = checkpoint.settingsJson();
        for (char tag : { 'A', 'B' }) {
            if (name != std::string("{\"version\":\"") + tag + "\"}")
                continue;
            // The tensors must be readable too, not just the header records.
            GraphModel model = buildModel(classicCnn(true), 7);
            checkpoint.restoreModel(*model);
            const NamedTensors expected = moduleState(*checkpointVersion(tag).model);
            const NamedTensors loaded = moduleState(*model);
            // Close, not equal: the helper computed its optimizer step with another thread count.
            for (size_t i = 0; i < expected.size(); ++i)
                if (!torch::allclose(expected[i].second, loaded[i].second, 1e-4, 1e-6))
                    throw std::runtime_error(path + ": tensor " + expected[i].first + " differs from version " + tag);
            return tag;
        }
        break;
    }
    case SaveKind::Export: {
        const LoadedTorchScript loaded = loadTorchScriptFile(path);
        name = loaded.metadata ? loaded.metadata->projectName : std::string("(no metadata)");
        if (name == "kill test A" || name == "kill test B")
            return name.back();
        break;
    }
    }
    throw std::runtime_error(path + ": loads but holds neither version (" + name + ")");
}

} // namespace netdraft::tests
