// Per-block learning rates (Block::learningRateScale): a run's steps equal plain LibTorch steps with one
// parameter group per scale, the schedule and warm-up move every group, logs keep the run's own rate,
// the scale survives save and load, invalid values are refused, and a resumed run matches an
// uninterrupted one.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/graph/CompositeGrouping.h"
#include "engine/io/FragmentFormat.h"
#include "engine/io/ProjectFormat.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/LearningRateFinder.h"
#include "engine/train/LearningRateScales.h"
#include "engine/train/LearningRateSchedule.h"
#include "engine/train/OptimizerFactory.h"
#include "engine/train/Trainer.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/ErrorOf.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <cmath>
#include <map>

using namespace netdraft::engine;
using netdraft::tests::blobs;
using netdraft::tests::errorOf;
using netdraft::tests::freshFolder;
using netdraft::tests::quickSettings;
using netdraft::tests::smallClassifier;

namespace {

constexpr int64_t kSamples = 48; ///< one batch of all of them: one optimizer step per epoch

/// smallClassifier (fc1 → relu1 → fc2) with fc1 at `scale` times the run's learning rate.
Project scaledClassifier(const std::string& optimizer, double scale = 0.1)
{
    Project project;
    project.graph = smallClassifier(6);
    project.graph.block("fc1").learningRateScale = scale;
    project.training = quickSettings();
    project.training.optimizer = optimizer;
    project.training.batchSize = kSamples;
    project.training.epochs = 2;
    project.training.weightDecay = 0.01;
    project.training.schedule = "step"; // halves the rate after the first epoch
    project.training.stepSize = 1;
    project.training.gamma = 0.5;
    return project;
}

std::map<std::string, torch::Tensor> parameterCopies(const torch::nn::Module& model)
{
    std::map<std::string, torch::Tensor> parameters;
    for (const auto& item : model.named_parameters())
        parameters[item.key()] = item.value().detach().clone();
    return parameters;
}

/// The optimizer `name` of plain LibTorch over two groups: fc2 at `rate`, fc1 at `rate` · `scale`.
std::unique_ptr<torch::optim::Optimizer> referenceOptimizer(const std::string& name, const TrainingSettings& s,
    std::vector<torch::Tensor> head, std::vector<torch::Tensor> body, double scale)
{
    const double rate = s.learningRate;
    auto groups = [&](auto options) {
        std::vector<torch::optim::OptimizerParamGroup> list;
        list.emplace_back(head, std::make_unique<decltype(options)>(options));
        auto slower = options;
        slower.lr(rate * scale);
        list.emplace_back(body, std::make_unique<decltype(options)>(slower));
        return list;
    };
    if (name == "sgd") {
        auto options = torch::optim::SGDOptions(rate).momentum(s.momentum).weight_decay(s.weightDecay);
        return std::make_unique<torch::optim::SGD>(groups(options), options);
    }
    if (name == "adam") {
        auto options = torch::optim::AdamOptions(rate).betas({ s.beta1, s.beta2 }).weight_decay(s.weightDecay);
        return std::make_unique<torch::optim::Adam>(groups(options), options);
    }
    if (name == "adamw") {
        auto options = torch::optim::AdamWOptions(rate).betas({ s.beta1, s.beta2 }).weight_decay(s.weightDecay);
        return std::make_unique<torch::optim::AdamW>(groups(options), options);
    }
    if (name == "rmsprop") {
        auto options = torch::optim::RMSpropOptions(rate).momentum(s.momentum).weight_decay(s.weightDecay);
        return std::make_unique<torch::optim::RMSprop>(groups(options), options);
    }
    auto options = torch::optim::AdagradOptions(rate).weight_decay(s.weightDecay);
    return std::make_unique<torch::optim::Adagrad>(groups(options), options);
}

/// Every group of `optimizer` at its rate · factor (what the step schedule does between epochs).
void multiplyGroupRates(torch::optim::Optimizer& optimizer, double factor)
{
    for (auto& group : optimizer.param_groups())
        group.options().set_lr(group.options().get_lr() * factor);
}

/// `steps` full-batch steps of the hand-written network relu(x·W1ᵀ + b1)·W2ᵀ + b2 with cross-entropy,
/// from `start`, the rate halved after each step; fc1 at `scale` times the rate.
std::map<std::string, torch::Tensor> referenceRun(const std::string& optimizerName, const TrainingSettings& settings,
    const std::map<std::string, torch::Tensor>& start, const InMemoryDataset& data, int steps, double scale)
{
    std::map<std::string, torch::Tensor> p;
    for (const auto& [name, value] : start)
        p[name] = value.clone().set_requires_grad(true);
    auto optimizer = referenceOptimizer(optimizerName, settings, { p.at("fc2.weight"), p.at("fc2.bias") },
        { p.at("fc1.weight"), p.at("fc1.bias") }, scale);
    for (int step = 0; step < steps; ++step) {
        optimizer->zero_grad();
        const torch::Tensor hidden
            = torch::relu(torch::nn::functional::linear(data.inputs, p.at("fc1.weight"), p.at("fc1.bias")));
        const torch::Tensor logits = torch::nn::functional::linear(hidden, p.at("fc2.weight"), p.at("fc2.bias"));
        torch::nn::functional::cross_entropy(logits, data.targets).backward();
        optimizer->step();
        multiplyGroupRates(*optimizer, settings.gamma);
    }
    return p;
}

double largestWeightDifference(
    const std::map<std::string, torch::Tensor>& a, const std::map<std::string, torch::Tensor>& b)
{
    double largest = 0;
    for (const auto& [name, value] : a)
        largest = std::max(largest, (value - b.at(name)).abs().max().item<double>());
    return largest;
}

} // namespace

class LearningRateScaleTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stepsEqualPlainLibTorchWithTwoGroups_data()
    {
        QTest::addColumn<QString>("optimizer");
        for (const char* name : { "sgd", "adam", "adamw", "rmsprop", "adagrad" })
            QTest::newRow(name) << QString(name);
    }

    /// Two epochs of one full batch each under the step schedule (γ = 0.5): both steps equal the
    /// reference's, whose fc1 group runs at 0.1 × the rate, and the logs say the run's own rate.
    void stepsEqualPlainLibTorchWithTwoGroups()
    {
        QFETCH(QString, optimizer);
        const Project project = scaledClassifier(optimizer.toStdString());
        const PreparedData data = blobs(kSamples);
        TrainerOptions options;
        options.prefetch = false;
        auto trainer = Trainer::forProject(project, data, options);
        const auto start = parameterCopies(*trainer->model());
        std::vector<double> reportedRates;
        trainer->setObserver({ {}, [&](const EpochReport& report) { reportedRates.push_back(report.learningRate); } });
        const TrainingResult result = trainer->run();
        QCOMPARE(toString(result.reason), "completed");
        const auto trained = parameterCopies(*trainer->model());

        const auto reference = referenceRun(optimizer.toStdString(), project.training, start, data.train, 2, 0.1);
        const double difference = largestWeightDifference(trained, reference);
        QVERIFY2(difference < 1e-6, qPrintable(QString("largest difference %1").arg(difference)));
        QCOMPARE(reportedRates, (std::vector<double> { 0.05, 0.025 }));

        // Control: the same reference with one rate for both groups ends elsewhere.
        const auto uniform = referenceRun(optimizer.toStdString(), project.training, start, data.train, 2, 1.0);
        QVERIFY(largestWeightDifference(trained, uniform) > 1e-4);
    }

    /// Data-parallel replicas: the gradients are summed into the model the grouped optimizer steps.
    void twoCpuReplicasFollowTheSingleDeviceRun()
    {
        auto trained = [](const std::string& device) {
            Project project = scaledClassifier("adam");
            project.training.batchSize = 16;
            project.training.device = device;
            TrainerOptions options;
            options.prefetch = false;
            auto trainer = Trainer::forProject(project, blobs(kSamples), options);
            const TrainingResult result = trainer->run();
            return std::make_pair(result.reason, parameterCopies(*trainer->model()));
        };
        const auto [singleReason, single] = trained("cpu");
        const auto [parallelReason, parallel] = trained("cpu,cpu");
        QCOMPARE(singleReason, StopReason::Completed);
        QCOMPARE(parallelReason, StopReason::Completed);
        const double difference = largestWeightDifference(single, parallel);
        QVERIFY2(difference < 1e-5, qPrintable(QString("largest difference %1").arg(difference)));
    }

    void groupsPutScaleOneFirst()
    {
        Project project = scaledClassifier("sgd", 0.25);
        const CompiledNetwork network = CompiledNetwork::compile(project);
        QCOMPARE(learningRateScales(network), (std::map<std::string, double> { { "fc1", 0.25 } }));
        GraphModel model = buildModel(network);
        const std::vector<ScaledParameters> groups = groupByLearningRateScale(*model, learningRateScales(network));
        QCOMPARE(scalesOf(groups), (std::vector<double> { 1.0, 0.25 }));
        QCOMPARE(groups[0].parameters.size(), size_t(2)); // fc2's weight and bias
        QVERIFY(groups[1].parameters[0].is_same(model->blockModule("fc1")->parameters()[0]));

        // Without scales: one group, as before.
        project.graph.block("fc1").learningRateScale = 1.0;
        const CompiledNetwork plain = CompiledNetwork::compile(project);
        QCOMPARE(scalesOf(groupByLearningRateScale(*buildModel(plain), learningRateScales(plain))),
            (std::vector<double> { 1.0 }));
    }

    void scheduleAndWarmupKeepEveryGroupAtItsScale()
    {
        torch::Tensor a = torch::zeros({ 2 }, torch::requires_grad());
        torch::Tensor b = torch::zeros({ 2 }, torch::requires_grad());
        TrainingSettings settings = quickSettings();
        settings.learningRate = 0.2;
        settings.schedule = "step";
        settings.stepSize = 2;
        settings.gamma = 0.5;
        settings.warmupEpochs = 1;
        settings.epochs = 5;
        auto optimizer = makeOptimizer(settings, std::vector<ScaledParameters> { { 1.0, { a } }, { 0.1, { b } } });
        const std::vector<double> scales { 1.0, 0.1 };
        QCOMPARE(optimizer->param_groups()[1].options().get_lr(), 0.2 * 0.1);
        const auto schedule = makeSchedule(settings);
        // Warm-up epoch 0: half the rate; then step: 0.2, 0.2, 0.1, 0.1.
        const std::vector<double> expected { 0.1, 0.2, 0.2, 0.1, 0.1 };
        for (int64_t epoch = 0; epoch < 5; ++epoch) {
            schedule->apply(*optimizer, epoch, scales);
            QCOMPARE(optimizer->param_groups()[0].options().get_lr(), expected[size_t(epoch)]);
            QCOMPARE(optimizer->param_groups()[1].options().get_lr(), expected[size_t(epoch)] * 0.1);
            QCOMPARE(learningRateOf(*optimizer, scales), expected[size_t(epoch)]);
        }
        QCOMPARE(errorOf([&] { setLearningRate(*optimizer, 0.1, { 1.0 }); }),
            std::string("training: the optimizer has 2 parameter groups but 1 learning-rate scales"));
    }

    void anInstanceScalesEveryBlockInside()
    {
        Project project = scaledClassifier("sgd", 0.5);
        project.graph = groupBlocks(project.graph, { "fc1", "relu1" }, "Stem", "stem");
        project.graph.block("stem").learningRateScale = 0.1;
        const CompiledNetwork network = CompiledNetwork::compile(project);
        const std::map<std::string, double> scales = learningRateScales(network);
        QCOMPARE(scales.size(), size_t(2));
        QCOMPARE(scales.at("stem__fc1"), 0.1 * 0.5); // the instance's times the inner block's own
        QCOMPARE(scales.at("stem__relu1"), 0.1);
    }

    void scaleSurvivesSaveAndLoad()
    {
        Project project = scaledClassifier("sgd", 0.25);
        project.graph = groupBlocks(project.graph, { "fc1", "relu1" }, "Stem", "stem");
        project.graph.block("stem").learningRateScale = 0.5;
        const std::string text = serializeProject(project);
        QVERIFY(text.find("\"learning_rate_scale\": 0.25") != std::string::npos); // inside the definition
        QVERIFY(text.find("\"learning_rate_scale\": 0.5") != std::string::npos);
        const Project loaded = parseProject(text, "scaled.netdraft");
        QCOMPARE(loaded.graph.block("stem").learningRateScale, 0.5);
        QCOMPARE(loaded.graph.findComposite("Stem")->blocks.front().learningRateScale, 0.25);
        QVERIFY(loaded.graph == project.graph);

        // A scale of 1 is not written: files without scales keep their layout.
        Project plain;
        plain.graph = smallClassifier();
        QVERIFY(serializeProject(plain).find("learning_rate_scale") == std::string::npos);
    }

    /// Copy and paste go through the fragment format, which keeps the factor.
    void scaleSurvivesCopyAndPaste()
    {
        const Graph graph = scaledClassifier("sgd", 0.25).graph;
        GraphFragment fragment;
        fragment.blocks = { graph.block("fc1") };
        const GraphFragment pasted = parseFragment(serializeFragment(fragment), Graph(), "clipboard");
        QCOMPARE(pasted.blocks.size(), size_t(1));
        QCOMPARE(pasted.blocks.front().learningRateScale, 0.25);
    }

    void invalidScalesAreRefused_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("shown");
        QTest::newRow("zero") << "0"
                              << "0";
        QTest::newRow("negative") << "-0.5"
                                  << "-0.5";
        QTest::newRow("text") << "\"slow\""
                              << "\"slow\"";
        QTest::newRow("boolean") << "true"
                                 << "true";
        QTest::newRow("null") << "null"
                              << "null";
    }
    void invalidScalesAreRefused()
    {
        QFETCH(QString, value);
        QFETCH(QString, shown);
        Project project;
        project.graph = smallClassifier();
        project.graph.block("fc2").learningRateScale = 0.125;
        std::string text = serializeProject(project);
        const std::string written = "\"learning_rate_scale\": 0.125";
        QVERIFY(text.find(written) != std::string::npos);
        text.replace(text.find(written), written.size(), "\"learning_rate_scale\": " + value.toStdString());
        const std::string message = errorOf([&] { parseProject(text, "bad.netdraft"); });
        const std::string expected = "block fc2: learning_rate_scale must be a number > 0 (the block's factor on the "
                                     "learning rate), got "
            + shown.toStdString();
        QVERIFY2(message.find(expected) != std::string::npos, message.c_str());
        QVERIFY2(message.find("bad.netdraft") != std::string::npos, message.c_str());
    }

    /// A run stopped mid-way and resumed from its checkpoint (optimizer state of two groups) gives the
    /// losses and weights of an uninterrupted run.
    void resumedRunWithTwoGroupsEqualsUninterrupted()
    {
        Project project = scaledClassifier("adam");
        project.training.batchSize = 16;
        project.training.epochs = 3;
        const PreparedData data = blobs(kSamples * 2);
        auto run = [&](TrainerOptions options, std::vector<double>& losses, int stopEpoch = -1) {
            options.prefetch = false;
            auto trainer = Trainer::forProject(project, data, options);
            Trainer* self = trainer.get();
            trainer->setObserver({ [&](const BatchReport& report) {
                                      if (report.epoch == stopEpoch && report.batch == 3)
                                          self->requestStop();
                                  },
                [&](const EpochReport& report) {
                    // Validation after every epoch; training loss of whole epochs only (a resumed epoch
                    // averages the batches after the resume).
                    losses.push_back(report.validation->loss);
                    losses.push_back(report.train.loss);
                } });
            const TrainingResult result = trainer->run();
            return std::make_pair(result, parameterCopies(*trainer->model()));
        };
        std::vector<double> uninterruptedLosses;
        const auto [whole, wholeWeights] = run({}, uninterruptedLosses);
        QCOMPARE(toString(whole.reason), "completed");
        QCOMPARE(uninterruptedLosses.size(), size_t(6));

        const std::string folder = freshFolder("learning-rate-scale-resume");
        TrainerOptions options;
        options.outputDirectory = folder;
        std::vector<double> firstLosses;
        const auto [first, firstWeights] = run(options, firstLosses, 2);
        QCOMPARE(toString(first.reason), "stopped");
        QCOMPARE(firstLosses.size(), size_t(2));
        options.resumeFrom = folder + "/checkpoint.pt";
        options.outputDirectory = folder + "/resumed";
        std::vector<double> resumedLosses;
        const auto [second, resumedWeights] = run(options, resumedLosses);
        QCOMPARE(toString(second.reason), "completed");
        QCOMPARE(resumedLosses.size(), size_t(4));
        QCOMPARE(resumedLosses[0], uninterruptedLosses[2]); // epoch 2's validation loss
        QCOMPARE(resumedLosses[2], uninterruptedLosses[4]); // epoch 3: validation and training loss
        QCOMPARE(resumedLosses[3], uninterruptedLosses[5]);
        QCOMPARE(largestWeightDifference(resumedWeights, wholeWeights), 0.0);

        // Control: resuming after the scale changed the groups is refused by message.
        project.graph.block("fc1").learningRateScale = 1.0;
        options.outputDirectory = folder + "/regrouped";
        std::vector<double> ignored;
        const auto [regrouped, unused] = run(options, ignored);
        QCOMPARE(toString(regrouped.reason), "failed");
        QVERIFY2(regrouped.message.find("learning_rate_scale") != std::string::npos, regrouped.message.c_str());
    }

    /// The finder sweeps the run's rate; fc1 follows at its scale, and the sweep still runs.
    void finderSweepsWithScaledGroups()
    {
        Project project = scaledClassifier("sgd");
        project.training.batchSize = 8;
        project.training.schedule = "constant";
        const CompiledNetwork network = CompiledNetwork::compile(project);
        GraphModel model = buildModel(network, 3);
        LearningRateFinderOptions options;
        options.batches = 6;
        const LearningRateFinding finding
            = findLearningRate(*model, network, blobs(kSamples), project.training, options, {});
        QVERIFY(finding.points.size() >= 2);
        QVERIFY(std::isfinite(finding.points.front().loss));
    }
};

NETDRAFT_TEST(LearningRateScaleTest);
#include "LearningRateScaleTest.moc"
