// Writes what tests/onnx/run_onnx.js runs in onnxruntime-node and tests/onnx/check_onnx.py checks
// with python3-onnx: for every case (each catalogue layer type, variants, the example projects) the
// exported model.onnx, a fixed input batch (input.bin) and Netdraft's own LibTorch output for it
// (output.bin, raw little-endian), listed in cases.json.
//
//   write_onnx_fixtures OUT_DIR PROJECTS_DIR    writes the fixtures
//   write_onnx_fixtures --checks                checks refusals and the model's header in C++

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/export/OnnxExport.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/ProjectFormat.h"
#include "engine/layers/LayerRegistry.h"
#include "tests/engine/ExportTestGraphs.h"
#include "tests/onnx/OnnxChecks.h"
#include "tests/onnx/OnnxTestCases.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <set>

using namespace netdraft::engine;
namespace fs = std::filesystem;

namespace {

/// A case's files and its entry in cases.json.
struct Fixture {
    std::string name;
    Graph graph;
    double tolerance = 1e-4;
    ExportMetadata metadata; ///< project name, classes and normalisation; shape and dtype come from the graph
    bool fold = false;
};

std::string rawBytes(const torch::Tensor& tensor)
{
    const torch::Tensor values = tensor.contiguous();
    return std::string(static_cast<const char*>(values.data_ptr()), static_cast<size_t>(values.nbytes()));
}

/// Like tests/engine/ExportTestGraphs' trainedLikeModel (batch-norm statistics away from their
/// initial values), with token ids below `vocabulary`.
GraphModel trainedLikeModel(const CompiledNetwork& network, const ExportMetadata& metadata, int64_t vocabulary)
{
    GraphModel model = buildModel(network, 11);
    torch::NoGradGuard noGrad;
    model->train();
    for (int i = 0; i < 3; ++i) {
        torch::Tensor batch = netdraft::tests::randomBatch(metadata, 8, vocabulary);
        model->forward(batch.is_floating_point() ? batch * 2 + 0.5 : batch);
    }
    model->eval();
    return model;
}

nlohmann::json writeFixture(const fs::path& out, const Fixture& fixture)
{
    const fs::path folder = out / fixture.name;
    fs::create_directories(folder);
    const CompiledNetwork network = CompiledNetwork::compile(fixture.graph);
    ExportMetadata metadata = fixture.metadata;
    const ExportMetadata fromGraph = metadataOf(network);
    metadata.inputShape = fromGraph.inputShape;
    metadata.inputDtype = fromGraph.inputDtype;
    metadata.task = fromGraph.task;
    int64_t vocabulary = 20; // token ids below every Embedding's num_embeddings
    for (const NetworkStep& step : network.steps())
        if (step.block->type == "Embedding")
            vocabulary = std::min(vocabulary, step.buildContext().params.integer("num_embeddings"));
    GraphModel model = trainedLikeModel(network, metadata, vocabulary);
    OnnxExportOptions options;
    options.foldNormalization = fixture.fold;
    exportOnnx(network, *model, metadata, (folder / "model.onnx").string(), options);

    torch::manual_seed(3);
    torch::Tensor input = netdraft::tests::randomBatch(metadata, 3, vocabulary);
    torch::Tensor modelInput = input;
    if (fixture.fold) { // the model takes raw values; LibTorch gets them normalised by hand
        input = torch::rand(input.sizes()) * metadata.inputScale;
        auto broadcast = [&](const std::vector<double>& values) {
            std::vector<int64_t> shape(metadata.inputShape.size(), 1);
            shape[0] = static_cast<int64_t>(values.size());
            return torch::tensor(values, torch::kFloat64).to(torch::kFloat32).reshape(shape);
        };
        modelInput = (input / metadata.inputScale - broadcast(metadata.mean)) / broadcast(metadata.std);
    }
    torch::NoGradGuard noGrad;
    model->eval();
    const torch::Tensor output = model->forward(modelInput).contiguous();
    writeFileAtomically((folder / "input.bin").string(), rawBytes(input));
    writeFileAtomically((folder / "output.bin").string(), rawBytes(output));

    std::set<std::string> types;
    bool batchIndependent = true; // each sample's output depends on that sample alone
    for (const NetworkStep& step : network.steps()) {
        types.insert(step.block->type);
        const ParamReader params = step.buildContext().params;
        if (params.description().findParam("track_running_stats") && !params.boolean("track_running_stats"))
            batchIndependent = false; // batch statistics
        if (params.description().findParam("batch_first") && !params.boolean("batch_first"))
            batchIndependent = false; // dimension 0 is time
    }
    return { { "name", fixture.name }, { "model", fixture.name + "/model.onnx" },
        { "input",
            { { "file", fixture.name + "/input.bin" }, { "dtype", input.is_floating_point() ? "float32" : "int64" },
                { "dims", input.sizes().vec() } } },
        { "output",
            { { "file", fixture.name + "/output.bin" }, { "dims", output.sizes().vec() },
                { "declared_dims", network.outputStep().info->output->dims() } } }, // -1: the batch
        { "tolerance", fixture.tolerance }, { "layer_types", types }, { "metadata", metadata.toJson() },
        { "normalization_folded", fixture.fold }, { "batch_independent", batchIndependent } };
}

std::vector<Fixture> fixtures(const fs::path& projects)
{
    std::vector<Fixture> result;
    for (netdraft::tests::OnnxTestCase& item : netdraft::tests::onnxLayerCases())
        result.push_back({ item.name, std::move(item.graph), item.tolerance, {}, false });
    ExportMetadata residual;
    residual.classNames = { "a", "b", "c" };
    result.push_back({ "graph_residual_block", netdraft::tests::residualBlock(), 1e-4, residual, false });
    result.push_back({ "graph_lstm_classifier", netdraft::tests::lstmClassifier(), 1e-3, {}, false });
    for (const char* name :
        { "classic_cnn", "resnet_shapes", "lstm_sequences", "conv_autoencoder", "mlp_spirals", "lenet5_mnist" }) {
        const Project project = loadProjectFile((projects / (std::string(name) + ".netdraft")).string());
        ExportMetadata metadata;
        metadata.projectName = project.name;
        const bool recurrent = std::string(name) == "lstm_sequences";
        result.push_back({ std::string("project_") + name, project.graph, recurrent ? 1e-3 : 1e-4, metadata, false });
    }
    // Folded normalisation: the graph takes raw 0..255 pixels.
    const Project cnn = loadProjectFile((projects / "classic_cnn.netdraft").string());
    ExportMetadata folded;
    folded.projectName = cnn.name;
    folded.classNames = { "circle", "square", "triangle" };
    folded.inputScale = 255;
    folded.mean = { 0.49, 0.48, 0.45 };
    folded.std = { 0.25, 0.24, 0.26 };
    result.push_back({ "project_classic_cnn_folded_normalization", cnn.graph, 1e-4, folded, true });
    return result;
}

int writeAll(const fs::path& out, const fs::path& projects)
{
    fs::create_directories(out);
    nlohmann::json cases = nlohmann::json::array();
    std::set<std::string> covered;
    int failures = 0;
    for (const Fixture& fixture : fixtures(projects)) {
        try {
            nlohmann::json entry = writeFixture(out, fixture);
            for (const std::string& type : entry["layer_types"])
                covered.insert(type);
            cases.push_back(std::move(entry));
            std::cout << "wrote " << fixture.name << "\n";
        } catch (const std::exception& error) {
            std::cerr << fixture.name << ": " << error.what() << "\n";
            ++failures;
        }
    }
    // A layer type added to the catalogue without a case here fails the test.
    for (const LayerType* type : LayerRegistry::instance().all())
        if (!covered.count(type->type()) && type->type() != "Opaque") { // Opaque refuses export: OpaqueBlockTest
            std::cerr << "layer type " << type->type() << " has no ONNX test case (tests/onnx/OnnxTestCases.cpp)\n";
            ++failures;
        }
    writeFileAtomically((out / "cases.json").string(), cases.dump(1));
    std::cout << cases.size() << " cases, " << covered.size() << " layer types\n";
    return failures == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc == 2 && std::string(argv[1]) == "--checks")
        return netdraft::tests::runOnnxChecks();
    if (argc != 3) {
        std::cerr << "usage: write_onnx_fixtures OUT_DIR PROJECTS_DIR | --checks\n";
        return 2;
    }
    try {
        return writeAll(argv[1], argv[2]);
    } catch (const std::exception& error) {
        std::cerr << error.what() << "\n";
        return 1;
    }
}
