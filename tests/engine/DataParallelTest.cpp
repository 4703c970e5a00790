// Data-parallel training on CPU "devices": one step split over several replicas equals one step on the
// whole batch on one device, and a whole run over cpu,cpu follows the single-device run.

#include <torch/torch.h>

#include "engine/graph/GraphBuilder.h"
#include "engine/model/GraphModel.h"
#include "engine/train/DeviceSelection.h"
#include "engine/train/FineTuning.h"
#include "engine/train/LossFunction.h"
#include "engine/train/Trainer.h"
#include "engine/train/TrainingStep.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"

#include <ATen/CPUGeneratorImpl.h>

#include <QTest>

using namespace netdraft::engine;
using netdraft::tests::blobs;
using netdraft::tests::largestDifference;
using netdraft::tests::quickSettings;
using netdraft::tests::smallClassifier;

namespace {

/// Input(3×8×8) → Conv2d(4, 3×3, padding 1) → ReLU → Flatten → Linear(3) → Output.
Graph tinyConvNet()
{
    GraphBuilder builder;
    builder.input({ 3, 8, 8 })
        .then("Conv2d", { { "out_channels", int64_t(4) }, { "padding", int64_t(1) } }, "conv")
        .then("ReLU", {}, "relu")
        .then("Flatten", {}, "flatten")
        .then("Linear", { { "out_features", int64_t(3) } }, "fc")
        .output();
    return builder.graph();
}

/// Input(3×8×8) → Conv2d(4) → BatchNorm2d "bn" → ReLU → Flatten → Linear(3) → Output.
Graph convNetWithBatchNorm()
{
    GraphBuilder builder;
    builder.input({ 3, 8, 8 })
        .then("Conv2d", { { "out_channels", int64_t(4) }, { "padding", int64_t(1) } }, "conv")
        .then("BatchNorm2d", {}, "bn")
        .then("ReLU", {}, "relu")
        .then("Flatten", {}, "flatten")
        .then("Linear", { { "out_features", int64_t(3) } }, "fc")
        .output();
    return builder.graph();
}

} // namespace

class DataParallelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void stepEqualsSingleDeviceStep_data()
    {
        QTest::addColumn<QString>("devices");
        QTest::addColumn<int64_t>("batch");
        QTest::newRow("2 replicas, even split") << "cpu,cpu" << int64_t(8);
        QTest::newRow("3 replicas, uneven split 4/3/3") << "cpu,cpu,cpu" << int64_t(10);
        QTest::newRow("fewer samples than replicas") << "cpu,cpu,cpu" << int64_t(2);
    }
    void stepEqualsSingleDeviceStep()
    {
        QFETCH(QString, devices);
        QFETCH(int64_t, batch);
        const Graph graph = tinyConvNet();
        const std::vector<torch::Device> parallelDevices = selectDevices(devices.toStdString());
        std::vector<GraphModel> replicas;
        for (size_t i = 1; i < parallelDevices.size(); ++i)
            replicas.push_back(buildModel(graph, 7));
        GraphModel single = buildModel(graph, 7);
        GraphModel parallel = buildModel(graph, 7);
        const std::vector<torch::Tensor> initial = [&] {
            std::vector<torch::Tensor> copies;
            for (const torch::Tensor& parameter : single->parameters())
                copies.push_back(parameter.detach().clone());
            return copies;
        }();
        const LossFunction loss("cross_entropy");
        TrainingStep one(single, {}, { torch::kCPU }, loss, {});
        TrainingStep many(parallel, std::move(replicas), parallelDevices, loss, {});
        torch::optim::SGD singleOptimizer(single->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
        torch::optim::SGD parallelOptimizer(parallel->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));

        at::Generator generator = at::detail::createCPUGenerator(21);
        for (int step = 0; step < 3; ++step) { // several steps: momentum and the weights copied to replicas
            const torch::Tensor inputs = torch::randn({ batch, 3, 8, 8 }, generator);
            const torch::Tensor targets = torch::randint(0, 3, { batch }, generator, torch::kLong);
            const StepForward a = one.forward(inputs, targets);
            const StepForward b = many.forward(inputs, targets);
            QCOMPARE(b.output.sizes(), a.output.sizes());
            QVERIFY2(std::abs(a.lossValue - b.lossValue) < 1e-5,
                qPrintable(QString("loss %1 vs %2").arg(a.lossValue).arg(b.lossValue)));
            QVERIFY((a.output - b.output).abs().max().item<double>() < 1e-5);
            QVERIFY(one.backwardAndStep(singleOptimizer));
            QVERIFY(many.backwardAndStep(parallelOptimizer));
            const double difference = largestDifference(single->parameters(), parallel->parameters());
            QVERIFY2(difference < 1e-5, qPrintable(QString("step %1: weights differ by %2").arg(step).arg(difference)));
        }
        // The steps moved the weights (so the comparison above compared something).
        QVERIFY(largestDifference(single->parameters(), initial) > 1e-3);
    }

    void frozenBlocksRunInEvalModeOnEveryReplica()
    {
        // A frozen batch norm normalises with its running statistics on the model; each replica must do
        // the same, not use its part's batch statistics. The running statistics are moved off their
        // defaults so that the two ways differ clearly.
        const Graph graph = convNetWithBatchNorm();
        auto prepared = [&] {
            GraphModel model = buildModel(graph, 7);
            torch::NoGradGuard noGrad;
            for (auto& item : model->named_buffers())
                if (item.key().find("running_mean") != std::string::npos)
                    item.value().fill_(0.5);
                else if (item.key().find("running_var") != std::string::npos)
                    item.value().fill_(3.0);
            return model;
        };
        GraphModel single = prepared();
        GraphModel parallel = prepared();
        std::vector<GraphModel> replicas { buildModel(graph, 7) }; // default statistics and modes: copied before each step
        for (GraphModel* model : { &single, &parallel }) {
            (*model)->train();
            keepFrozenBlocksInEval(**model, { "bn" });
        }
        const LossFunction loss("cross_entropy");
        TrainingStep one(single, {}, { torch::kCPU }, loss, {});
        TrainingStep many(parallel, std::move(replicas), selectDevices("cpu,cpu"), loss, {});
        at::Generator generator = at::detail::createCPUGenerator(5);
        const torch::Tensor inputs = torch::randn({ 8, 3, 8, 8 }, generator) * 2 + 1;
        const torch::Tensor targets = torch::randint(0, 3, { 8 }, generator, torch::kLong);
        const StepForward a = one.forward(inputs, targets);
        const StepForward b = many.forward(inputs, targets);
        const double difference = (a.output - b.output).abs().max().item<double>();
        QVERIFY2(difference < 1e-5, qPrintable(QString("outputs differ by %1").arg(difference)));

        // Control: with the batch norm in training mode the outputs are those of batch statistics, so the
        // comparison above tells the two modes apart.
        single->train();
        const StepForward trained = one.forward(inputs, targets);
        QVERIFY((trained.output - a.output).abs().max().item<double>() > 1e-2);
    }

    void wholeRunOverTwoCpuReplicasFollowsSingleDeviceRun()
    {
        auto curve = [](const std::string& device, bool withReplicas) {
            TrainingSettings settings = quickSettings();
            settings.device = device;
            settings.epochs = 2;
            TrainerOptions options;
            options.prefetch = false;
            if (withReplicas)
                options.buildReplica = [] { return buildModel(smallClassifier(), 3); };
            Trainer trainer(buildModel(smallClassifier(), 3), blobs(240), settings, options);
            std::vector<double> losses;
            trainer.setObserver({ [&](const BatchReport& report) { losses.push_back(report.loss); } });
            const TrainingResult result = trainer.run();
            return std::make_pair(result, losses);
        };
        const auto [singleResult, single] = curve("cpu", false);
        const auto [parallelResult, parallel] = curve("cpu,cpu", true);
        QCOMPARE(singleResult.reason, StopReason::Completed);
        QCOMPARE(parallelResult.reason, StopReason::Completed);
        QCOMPARE(parallel.size(), single.size());
        QCOMPARE(single.size(), size_t(30)); // 2 epochs × 240/16 batches
        for (size_t i = 0; i < single.size(); ++i)
            QVERIFY2(std::abs(single[i] - parallel[i]) < 1e-4,
                qPrintable(QString("batch %1: %2 vs %3").arg(i).arg(single[i]).arg(parallel[i])));
        QVERIFY(single.back() < single.front());

        const auto [failed, none] = curve("cpu,cpu", false);
        QCOMPARE(failed.reason, StopReason::Failed);
        QVERIFY2(QString::fromStdString(failed.message).contains("data-parallel"), failed.message.c_str());
    }
};

NETDRAFT_TEST(DataParallelTest);
#include "DataParallelTest.moc"
