// Writes what tests/python/test_export.py checks with plain PyTorch: for a few graphs, the TorchScript
// file, the state dict, model.py, train.py with a small tensor data file, and reference inputs and
// outputs of the in-app model (reference.pt, written with pickle_save); and what the engine's
// registered optimizers, schedules and losses compute (registries/), to compare with train.py; for the
// fine_tuning case (frozen blocks, a learning-rate factor) also one epoch of Netdraft's trainer
// (engine_trained.pt) to compare with one epoch of train.py.
//
//   write_export_fixtures OUT_DIR

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/export/PythonModelExport.h"
#include "engine/graph/CompositeGrouping.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/export/PythonTrainExport.h"
#include "engine/io/StateDict.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/io/AtomicFile.h"
#include "engine/train/Trainer.h"
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

/// Issue 19's shape and arithmetic blocks, each once, with Chunk's and Split's outputs read by ports.
Graph shapeArithmeticNetwork()
{
    GraphBuilder builder;
    builder.input({8, 6, 6})
        .then("PixelShuffle", {}, "shuffle") // N×2×12×12
        .then("ZeroPad2d", {{"left", int64_t(0)}, {"right", int64_t(2)}, {"top", int64_t(1)}, {"bottom", int64_t(1)}},
              "pad") // N×2×14×14
        .then("Chunk", {}, "halves")
        .add("Subtract", {}, "diff")
        .connect("halves", "diff", "in1", "out1")
        .connect("halves", "diff", "in2", "out2") // N×1×14×14
        .from("diff")
        .then("Squeeze", {}, "squeeze") // N×14×14
        .then("Transpose", {}, "transpose")
        .then("MatMul", {}, "product")
        .connect("squeeze", "product", "in2")
        .then("Scale", {{"scale", 0.1}, {"bias", 0.5}}, "scale")
        .then("Slice", {{"dim", int64_t(2)}, {"start", int64_t(1)}, {"end", int64_t(13)}, {"step", int64_t(2)}},
              "slice") // N×14×6
        .then("Split", {{"sizes", IntList{2, 4}}, {"dim", int64_t(2)}}, "parts")
        .then("Max", {{"dims", IntList{2}}, {"keepdim", true}}, "peak") // from parts.out1: N×14×1
        .then("Sigmoid", {}, "squash")
        .then("Scale", {{"bias", 1.0}}, "denominator")
        .add("Divide", {}, "ratio")
        .connect("parts", "ratio", "in1", "out2")
        .connect("denominator", "ratio", "in2") // N×14×4
        .from("ratio")
        .then("Permute", {{"dims", IntList{2, 1}}}, "permute") // N×4×14
        .then("Unsqueeze", {}, "unsqueeze") // N×1×4×14
        .then("Select", {{"dim", int64_t(2)}, {"index", int64_t(-1)}}, "select") // N×1×14
        .then("Sum", {{"dims", IntList{1}}, {"keepdim", true}}, "total")
        .then("Mean", {{"dims", IntList{1}}}, "average") // N×14
        .then("Linear", {{"out_features", int64_t(3)}}, "fc")
        .output();
    return builder.graph();
}

/// Issue 19's activations, normalisations, convolutions and poolings, for model.py against PyTorch.
Graph mobileLayersNetwork()
{
    GraphBuilder builder;
    builder.input({3, 16, 12})
        .then("Conv2d", {{"out_channels", int64_t(8)}, {"padding", int64_t(1)}}, "conv")
        .then("InstanceNorm2d", {{"affine", true}, {"track_running_stats", true}}, "norm")
        .then("PReLU", {{"num_parameters", int64_t(8)}}, "prelu")
        .then("Conv2d", {{"out_channels", int64_t(8)}, {"groups", int64_t(8)}, {"padding", int64_t(1)}}, "depthwise")
        .then("Hardswish", {}, "hardswish")
        .then("LocalResponseNorm", {{"size", int64_t(4)}}, "lrn")
        .then("Mish", {}, "mish")
        .then("Softplus", {{"beta", 2.0}, {"threshold", 1.0}}, "softplus")
        .then("Hardtanh", {{"min_val", -1.0}, {"max_val", 1.5}}, "hardtanh")
        .then("Hardsigmoid", {}, "hardsigmoid")
        .then("ReLU6", {}, "relu6")
        .then("AdaptiveMaxPool2d", {{"output_size", IntList{3, 2}}}, "pool")
        .then("Flatten", {}, "flatten")
        .then("Linear", {{"out_features", int64_t(3)}}, "fc")
        .output();
    return builder.graph();
}

/// The 1-D poolings and instance norm over a sequence, then a 3-D convolution.
Graph sequenceLayersNetwork()
{
    GraphBuilder builder;
    builder.input({4, 18})
        .then("Conv1d", {{"out_channels", int64_t(6)}}, "conv")
        .then("InstanceNorm1d", {}, "norm")
        .then("MaxPool1d", {}, "max")
        .then("AvgPool1d", {{"kernel_size", int64_t(3)}, {"stride", int64_t(1)}, {"padding", int64_t(1)},
                               {"count_include_pad", false}}, "avg")
        .then("AdaptiveAvgPool1d", {{"output_size", int64_t(4)}}, "adaptive")
        .then("Reshape", {{"shape", IntList{6, 1, 2, 2}}}, "volume")
        .then("Conv3d", {{"out_channels", int64_t(2)}, {"kernel_size", IntList{1, 3, 3}}, {"padding", IntList{0, 1, 1}}},
              "conv3d")
        .then("Flatten", {}, "flatten")
        .then("Linear", {{"out_features", int64_t(3)}}, "fc")
        .output();
    return builder.graph();
}

/// Fine-tuning: a frozen composite instance "stem" (Conv2d, BatchNorm2d, ReLU), a trainable batch norm
/// and a head that learns at a tenth of the learning rate.
Graph fineTuningNetwork()
{
    GraphBuilder builder;
    builder.input({3, 32, 32})
        .then("Conv2d", {{"out_channels", int64_t(4)}, {"padding", int64_t(1)}}, "conv")
        .then("BatchNorm2d", {}, "bn")
        .then("ReLU", {}, "relu")
        .then("MaxPool2d", {}, "pool") // N×4×16×16
        .then("Conv2d", {{"out_channels", int64_t(4)}}, "conv2") // N×4×14×14
        .then("BatchNorm2d", {}, "bn2")
        .then("Flatten", {}, "flatten")
        .then("Linear", {{"out_features", int64_t(3)}}, "fc")
        .output();
    Graph graph = groupBlocks(builder.graph(), {"conv", "bn", "relu"}, "Stem", "stem");
    graph.block("stem").frozen = true;
    graph.block("fc").learningRateScale = 0.1;
    return graph;
}

/// The settings train.py is written with.
TrainingSettings exportedTrainingSettings()
{
    TrainingSettings settings;
    settings.epochs = 1;
    settings.batchSize = 8;
    settings.learningRate = 0.01;
    settings.schedule = "cosine";
    return settings;
}

/// data.pt and train.py for `graph` (uint8 images 3×32×32, `classes` classes); for a graph with frozen
/// blocks also train_batch_norm_train.py (frozen_batch_norm "train"). Returns the data.
PreparedData writeTrainingFiles(const std::filesystem::path& folder, int64_t classes, const Graph& graph)
{
    PreparedData data;
    data.train.inputs = torch::randint(0, 256, {32, 3, 32, 32}).to(torch::kUInt8);
    data.train.targets = torch::randint(0, classes, {32}, torch::kInt64);
    data.validation.inputs = torch::randint(0, 256, {8, 3, 32, 32}).to(torch::kUInt8);
    data.validation.targets = torch::randint(0, classes, {8}, torch::kInt64);
    data.train.inputScale = data.validation.inputScale = 255;
    writeFileAtomically((folder / "data.pt").string(), trainingDataArchive(data.train, data.validation));
    TrainingSettings settings = exportedTrainingSettings();
    const CompiledNetwork network = CompiledNetwork::compile(graph);
    writeFileAtomically((folder / "train.py").string(), pythonTrainSource(settings, network));
    settings.frozenBatchNorm = "train";
    if (!pythonFineTuning(network, settings).frozenBlocks.empty())
        writeFileAtomically((folder / "train_batch_norm_train.py").string(), pythonTrainSource(settings, network));
    return data;
}

/// engine_trained.pt: one epoch of Netdraft's trainer from weights.pt on `data` as one batch of all
/// samples (so the order the two shuffles give does not matter), for train.py --batch-size 32.
void writeEngineRun(const std::filesystem::path& folder, const Graph& graph, const PreparedData& data)
{
    Project project;
    project.graph = graph;
    project.training = exportedTrainingSettings();
    project.training.batchSize = data.train.size();
    TrainerOptions options;
    options.prefetch = false;
    options.initialWeights = (folder / "weights.pt").string();
    auto trainer = Trainer::forProject(project, data, options);
    const TrainingResult result = trainer->run();
    ND_CHECK(result.reason == StopReason::Completed, "the engine's fine-tuning run did not complete: ", result.message);
    exportStateDict(*trainer->model(), (folder / "engine_trained.pt").string());
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
        writeTrainingFiles(out / "classic_cnn", 10, netdraft::tests::classicCnn(true));
    });
    attempt("residual", [&] {
        ExportMetadata metadata;
        metadata.classNames = {"a", "b", "c"};
        writeCase(out / "residual", netdraft::tests::residualBlock(), metadata);
    });
    attempt("lstm", [&] { writeCase(out / "lstm", netdraft::tests::lstmClassifier(), ExportMetadata{}); });
    attempt("attention", [&] {
        ExportMetadata metadata;
        metadata.classNames = {"a", "b", "c"};
        writeCase(out / "attention", netdraft::tests::attentionNetwork(), metadata);
    });
    attempt("shape_arithmetic", [&] { writeCase(out / "shape_arithmetic", shapeArithmeticNetwork(), ExportMetadata{}); });
    attempt("mobile_layers", [&] { writeCase(out / "mobile_layers", mobileLayersNetwork(), ExportMetadata{}); });
    attempt("sequence_layers", [&] { writeCase(out / "sequence_layers", sequenceLayersNetwork(), ExportMetadata{}); });
    attempt("fine_tuning", [&] {
        ExportMetadata metadata;
        metadata.classNames = {"a", "b", "c"};
        metadata.inputScale = 255;
        writeCase(out / "fine_tuning", fineTuningNetwork(), metadata);
        const PreparedData data = writeTrainingFiles(out / "fine_tuning", 3, fineTuningNetwork());
        writeEngineRun(out / "fine_tuning", fineTuningNetwork(), data);
    });
    attempt("registries", [&] { netdraft::tests::writeRegistryReferences(out / "registries"); });
    return failures == 0 ? 0 : 1;
}
