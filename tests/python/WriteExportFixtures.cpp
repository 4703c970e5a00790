// Writes what tests/python/test_export.py checks with plain PyTorch: for a few graphs, the TorchScript
// file, the state dict, model.py, train.py with a small tensor data file, and reference inputs and
// outputs of the in-app model (reference.pt, written with pickle_save); and what the engine's
// registered optimizers, schedules and losses compute (registries/), to compare with train.py.
//
//   write_export_fixtures OUT_DIR

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/export/PythonModelExport.h"
#include "engine/export/PythonTrainExport.h"
#include "engine/io/StateDict.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/io/AtomicFile.h"
#include "tests/engine/ExportTestGraphs.h"
#include "tests/engine/TestGraphs.h"
#include "tests/python/RegistryFixtures.h"

#include <filesystem>
#include <iostream>

using namespace netdraft::engine;

namespace {

void writeCase(const std::filesystem::path& folder, const Graph& graph, ExportMetadata metadata)
{
    std::filesystem::create_directories(folder);
    GraphModel model = netdraft::tests::trainedLikeModel(graph, 11);
    const ExportMetadata fromGraph = metadataFromGraph(graph);
    metadata.inputShape = fromGraph.inputShape;
    metadata.inputDtype = fromGraph.inputDtype;
    metadata.task = fromGraph.task;
    exportTorchScript(graph, *model, metadata, (folder / "model.pt").string());
    exportStateDict(*model, (folder / "weights.pt").string());
    writeFileAtomically((folder / "model.py").string(), pythonModelSource(graph, metadata));
    writeFileAtomically((folder / "netdraft.json").string(), metadata.toJson());

    torch::manual_seed(3);
    const torch::Tensor inputs = netdraft::tests::randomBatch(metadata, 5);
    torch::NoGradGuard noGrad;
    model->eval();
    const torch::Tensor outputs = model->forward(inputs);
    writeFileAtomically((folder / "reference.pt").string(), tensorDictArchive({{"inputs", inputs}, {"outputs", outputs}}));
}

void writeTrainingFiles(const std::filesystem::path& folder, int64_t classes)
{
    InMemoryDataset train;
    train.inputs = torch::randint(0, 256, {32, 3, 32, 32}).to(torch::kUInt8);
    train.targets = torch::randint(0, classes, {32}, torch::kInt64);
    InMemoryDataset validation;
    validation.inputs = torch::randint(0, 256, {8, 3, 32, 32}).to(torch::kUInt8);
    validation.targets = torch::randint(0, classes, {8}, torch::kInt64);
    writeFileAtomically((folder / "data.pt").string(), trainingDataArchive(train, validation));
    TrainingSettings settings;
    settings.epochs = 1;
    settings.batchSize = 8;
    settings.learningRate = 0.01;
    settings.schedule = "cosine";
    writeFileAtomically((folder / "train.py").string(), pythonTrainSource(settings));
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::cerr << "usage: write_export_fixtures OUT_DIR\n";
        return 2;
    }
    const std::filesystem::path out(argv[1]);
    int failures = 0;
    auto attempt = [&failures](const char* name, auto&& write) {
        try {
            write();
            std::cout << "wrote " << name << "\n";
        } catch (const std::exception& error) {
            std::cerr << name << ": " << error.what() << "\n";
            ++failures;
        }
    };
    attempt("classic_cnn", [&] {
        ExportMetadata metadata;
        metadata.projectName = "Classic CNN";
        metadata.classNames = {"circle", "square", "triangle", "star", "cross", "ring", "bar", "dot", "arrow", "heart"};
        metadata.inputScale = 255;
        metadata.mean = {0.5, 0.5, 0.5};
        metadata.std = {0.25, 0.25, 0.25};
        writeCase(out / "classic_cnn", netdraft::tests::classicCnn(true), metadata);
        writeTrainingFiles(out / "classic_cnn", 10);
    });
    attempt("residual", [&] {
        ExportMetadata metadata;
        metadata.classNames = {"a", "b", "c"};
        writeCase(out / "residual", netdraft::tests::residualBlock(), metadata);
    });
    attempt("lstm", [&] { writeCase(out / "lstm", netdraft::tests::lstmClassifier(), ExportMetadata{}); });
    attempt("registries", [&] { netdraft::tests::writeRegistryReferences(out / "registries"); });
    return failures == 0 ? 0 : 1;
}
