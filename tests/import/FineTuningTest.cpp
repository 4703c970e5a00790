// Fine-tuning: frozen blocks (and frozen composite instances) keep their weights and batch-norm
// statistics bit for bit while the rest trains, and starting weights load where they fit.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/graph/CompositeGrouping.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/io/StateDict.h"
#include "engine/model/GraphModel.h"
#include "engine/train/FineTuning.h"
#include "engine/train/Trainer.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <filesystem>
#include <map>

using namespace netdraft::engine;
using netdraft::tests::blobs;
using netdraft::tests::freshFolder;
using netdraft::tests::quickSettings;

namespace {

/// Input(8) → Linear(16) "hidden" → BatchNorm1d "norm" → ReLU → Linear(classes) "head" → Output.
Project normalisedClassifier(int64_t classes = 3, uint64_t seed = 3)
{
    Project project;
    project.graph = GraphBuilder()
                        .input({ 8 })
                        .then("Linear", { { "out_features", int64_t(16) } }, "hidden")
                        .then("BatchNorm1d", {}, "norm")
                        .then("ReLU", {}, "relu")
                        .then("Linear", { { "out_features", classes } }, "head")
                        .output()
                        .graph();
    project.training = quickSettings();
    project.training.epochs = 2;
    project.training.seed = static_cast<int64_t>(seed);
    return project;
}

std::map<std::string, torch::Tensor> stateOf(const torch::nn::Module& model)
{
    std::map<std::string, torch::Tensor> state;
    for (const auto& [name, tensor] : namedState(model))
        state[name] = tensor;
    return state;
}

std::map<std::string, torch::Tensor> train(const Project& project, TrainerOptions options = {},
    std::map<std::string, torch::Tensor>* before = nullptr, std::string* note = nullptr)
{
    options.prefetch = false;
    auto trainer = Trainer::forProject(project, blobs(240), options);
    if (before)
        *before = stateOf(*trainer->model());
    if (note)
        *note = trainer->startingWeightsNote();
    const TrainingResult result = trainer->run();
    if (result.reason != StopReason::Completed)
        qWarning("run ended with: %s", result.message.c_str());
    return stateOf(*trainer->model());
}

} // namespace

class FineTuningTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void frozenBlocksKeepTheirWeightsAndStatistics()
    {
        Project project = normalisedClassifier();
        project.graph.block("hidden").frozen = true;
        project.graph.block("norm").frozen = true;
        std::map<std::string, torch::Tensor> before;
        const auto after = train(project, {}, &before);
        for (const char* name : { "hidden.weight", "hidden.bias", "norm.weight", "norm.bias", "norm.running_mean",
                 "norm.running_var", "norm.num_batches_tracked" })
            QVERIFY2(torch::equal(before.at(name), after.at(name)), name);
        QVERIFY(!torch::equal(before.at("head.weight"), after.at("head.weight")));

        // The control: unfrozen, the same blocks change (the test can fail).
        const auto unfrozen = train(normalisedClassifier(), {}, &before);
        QVERIFY(!torch::equal(before.at("hidden.weight"), unfrozen.at("hidden.weight")));
        QVERIFY(!torch::equal(before.at("norm.running_mean"), unfrozen.at("norm.running_mean")));
    }

    void frozenBatchNormTrainFollowsTheNewData()
    {
        // frozen_batch_norm "train": the frozen blocks run in training mode, so the batch norm's running
        // statistics follow the data while every weight of the frozen blocks stays.
        Project project = normalisedClassifier();
        project.graph.block("hidden").frozen = true;
        project.graph.block("norm").frozen = true;
        project.training.frozenBatchNorm = "train";
        const CompiledNetwork network = CompiledNetwork::compile(project);
        QVERIFY(evalModeBlockIds(network, project.training).empty());
        std::map<std::string, torch::Tensor> before;
        const auto after = train(project, {}, &before);
        for (const char* name : { "hidden.weight", "hidden.bias", "norm.weight", "norm.bias" })
            QVERIFY2(torch::equal(before.at(name), after.at(name)), name);
        QVERIFY(!torch::equal(before.at("norm.running_mean"), after.at("norm.running_mean")));
        QVERIFY(!torch::equal(before.at("norm.running_var"), after.at("norm.running_var")));
        QCOMPARE(after.at("norm.num_batches_tracked").item<int64_t>(), int64_t(2 * 240 / 16)); // a step per batch, 2 epochs
        QVERIFY(!torch::equal(before.at("head.weight"), after.at("head.weight")));

        project.training.frozenBatchNorm = "eval"; // the default: both frozen blocks stay in eval mode
        QCOMPARE(evalModeBlockIds(network, project.training), (std::set<std::string> { "hidden", "norm" }));
        project.training.frozenBatchNorm = "sometimes";
        try {
            evalModeBlockIds(network, project.training);
            QFAIL("an unknown frozen_batch_norm was accepted");
        } catch (const Error& error) {
            QCOMPARE(std::string(error.what()), std::string("training setting frozen_batch_norm: eval or train, got 'sometimes'"));
        }
    }

    void aFrozenInstanceFreezesItsInside()
    {
        Project project = normalisedClassifier();
        project.graph = groupBlocks(project.graph, { "hidden", "norm" }, "Stem", "stem");
        project.graph.block("stem").frozen = true;
        const CompiledNetwork network = CompiledNetwork::compile(project);
        QCOMPARE(frozenBlockIds(network), (std::set<std::string> { "stem__hidden", "stem__norm" }));
        GraphModel model = buildModel(network);
        freezeBlocks(*model, network);
        const ParameterSplit split = parameterSplit(*model, network);
        QCOMPARE(split.frozen, int64_t(8 * 16 + 16 + 16 + 16));
        QCOMPARE(split.trainable, int64_t(16 * 3 + 3));
        std::map<std::string, torch::Tensor> before;
        const auto after = train(project, {}, &before);
        QVERIFY(torch::equal(before.at("stem__hidden.weight"), after.at("stem__hidden.weight")));
        QVERIFY(torch::equal(before.at("stem__norm.running_var"), after.at("stem__norm.running_var")));
        QVERIFY(!torch::equal(before.at("head.bias"), after.at("head.bias")));
    }

    void everythingFrozenIsRefused()
    {
        Project project = normalisedClassifier();
        for (const char* id : { "hidden", "norm", "head" })
            project.graph.block(id).frozen = true;
        TrainerOptions options;
        options.prefetch = false;
        const TrainingResult result = Trainer::forProject(project, blobs(64), options)->run();
        QCOMPARE(result.reason, StopReason::Failed);
        QCOMPARE(result.message,
            std::string("training: every block with weights is frozen; nothing would train (unfreeze a block)"));
    }

    void startingWeightsLoadWhereTheyFit()
    {
        // Weights of a network with a 7-class head; the project has a 3-class head and another seed.
        const GraphModel source = buildModel(normalisedClassifier(7).graph, 11);
        const std::string folder = freshFolder("fine-tuning-start");
        const std::string path = (std::filesystem::path(folder) / "start.weights.pt").string();
        exportStateDict(*source, path);
        Project project = normalisedClassifier(3, 5);
        project.graph.block("hidden").frozen = true;
        TrainerOptions options;
        options.initialWeights = path;
        std::map<std::string, torch::Tensor> before;
        std::string note;
        const auto after = train(project, options, &before, &note);
        const auto loaded = stateOf(*source);
        QVERIFY(torch::equal(before.at("hidden.weight"), loaded.at("hidden.weight")));
        QVERIFY(torch::equal(after.at("hidden.weight"), loaded.at("hidden.weight"))); // frozen: still the file's
        QVERIFY(torch::equal(before.at("norm.running_var"), loaded.at("norm.running_var")));
        QCOMPARE(before.at("head.weight").size(0), int64_t(3)); // seeded, not the file's 7 rows
        QVERIFY2(note.find("starting weights: " + path) == 0, note.c_str());
        QVERIFY2(note.find("head.weight: file 7×16, model 3×16") != std::string::npos, note.c_str());
    }

    void aNetdraftRunsWeightsFileStartsAnotherRun()
    {
        // A run's weights.pt (a module archive, not a Python state dict) as the next run's starting weights.
        const Project project = normalisedClassifier(3, 5);
        const std::string folder = freshFolder("fine-tuning-from-run");
        TrainerOptions first;
        first.outputDirectory = folder;
        const auto trained = train(project, first);
        const std::string path = (std::filesystem::path(folder) / "weights.pt").string();
        QVERIFY(std::filesystem::exists(path));
        Project next = normalisedClassifier(3, 9); // another seed: the file, not the seed, decides
        TrainerOptions options;
        options.initialWeights = path;
        std::map<std::string, torch::Tensor> before;
        std::string note;
        train(next, options, &before, &note);
        for (const auto& [name, tensor] : trained)
            QVERIFY2(torch::equal(before.at(name), tensor), name.c_str());
        QVERIFY2(note.find("starting weights: " + path) == 0, note.c_str());
    }

    void projectFilesResolveNextToTheProject()
    {
        QCOMPARE(resolveProjectFile("/data/projects", "r18.weights.pt"), std::string("/data/projects/r18.weights.pt"));
        QCOMPARE(resolveProjectFile("/data/projects", "/abs/w.pt"), std::string("/abs/w.pt"));
        QCOMPARE(resolveProjectFile("/data/projects", ""), std::string());
    }
};

NETDRAFT_TEST(FineTuningTest);
#include "FineTuningTest.moc"
