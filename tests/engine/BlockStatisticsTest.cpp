// Per-block statistics of a run (training setting statistics_every): each block's output and its
// parameters' gradients against the same figures worked out with plain LibTorch on the same batch and
// weights; the trainer's cadence, statistics.jsonl and epoch averages; the dead-ReLU warning.

#include <torch/torch.h>

#include "engine/graph/GraphBuilder.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/BlockStatisticsRecorder.h"
#include "engine/train/DeadReluCheck.h"
#include "engine/train/LossFunction.h"
#include "engine/train/Trainer.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace netdraft::engine;
using netdraft::tests::blobs;
using netdraft::tests::quickSettings;
using netdraft::tests::smallClassifier;

namespace {

torch::nn::Linear statisticsLinear(const GraphModel& model, const std::string& id)
{
    return torch::nn::Linear(std::dynamic_pointer_cast<torch::nn::LinearImpl>(model->blockModule(id)));
}

/// mean, population std, zero share, max |x|, norm of the values, each by its own plain formula.
std::vector<double> referenceFigures(const torch::Tensor& values)
{
    const torch::Tensor x = values.detach().to(torch::kDouble).flatten();
    const double count = static_cast<double>(x.numel());
    const double mean = x.sum().item<double>() / count;
    const double variance = ((x - mean) * (x - mean)).sum().item<double>() / count;
    return { mean, std::sqrt(variance), (x == 0).sum().item<double>() / count, x.abs().max().item<double>(),
        std::sqrt((x * x).sum().item<double>()) };
}

void compareWithReference(const ValueSummary& recorded, const std::vector<double>& expected, const char* what)
{
    const double figures[] = { recorded.mean, recorded.std, recorded.zeroFraction, recorded.maxAbs };
    for (int i = 0; i < 4; ++i)
        QVERIFY2(std::abs(figures[i] - expected[i]) <= 1e-5 * std::max(1.0, std::abs(expected[i])),
            (std::string(what) + " figure " + std::to_string(i) + ": " + std::to_string(figures[i]) + " vs "
                + std::to_string(expected[i]))
                .c_str());
}

std::unique_ptr<Trainer> statisticsTrainer(const Graph& graph, TrainingSettings settings, TrainerOptions options,
    const std::function<void(GraphModel&)>& craft = {})
{
    const CompiledNetwork network = CompiledNetwork::compile(graph);
    GraphModel model = buildModel(network, 3);
    if (craft)
        craft(model);
    options.prefetch = false;
    options.blockNames = RunBlockNames::of(network);
    return std::make_unique<Trainer>(model, blobs(480), settings, options);
}

} // namespace

class BlockStatisticsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void recordedFiguresEqualADirectComputation()
    {
        const CompiledNetwork network = CompiledNetwork::compile(smallClassifier(16));
        GraphModel model = buildModel(network, 3);
        const PreparedData data = blobs(64);
        const torch::Tensor x = data.train.inputs.slice(0, 0, 32);
        const torch::Tensor y = data.train.targets.slice(0, 0, 32);

        BlockStatisticsRecorder recorder(model, RunBlockNames::of(network));
        recorder.start();
        const torch::Tensor output = model->forward(x);
        recorder.stop();
        torch::nn::functional::cross_entropy(output, y).backward();
        const StatisticsRecord record = recorder.finish(2, 7, 36);
        QCOMPARE(record.epoch, int64_t(2));
        QCOMPARE(record.batch, int64_t(7));
        QCOMPARE(record.step, int64_t(36));
        QCOMPARE(record.blocks.size(), size_t(3)); // fc1, relu1, fc2: not the Input or Output
        QCOMPARE(record.blocks[0].blockId, std::string("fc1"));
        QCOMPARE(record.blocks[1].type, std::string("ReLU"));

        // The same network by hand, on copies of the weights, and its gradients through autograd.
        const auto fc1 = statisticsLinear(model, "fc1");
        const auto fc2 = statisticsLinear(model, "fc2");
        const torch::Tensor w1 = fc1->weight.detach().clone().requires_grad_(true);
        const torch::Tensor b1 = fc1->bias.detach().clone().requires_grad_(true);
        const torch::Tensor w2 = fc2->weight.detach().clone().requires_grad_(true);
        const torch::Tensor b2 = fc2->bias.detach().clone().requires_grad_(true);
        const torch::Tensor h1 = x.matmul(w1.t()) + b1;
        const torch::Tensor r1 = h1.clamp_min(0);
        const torch::Tensor h2 = r1.matmul(w2.t()) + b2;
        const torch::Tensor logProbabilities = h2 - h2.logsumexp(1, true);
        const torch::Tensor loss = -logProbabilities.gather(1, y.unsqueeze(1)).mean();
        const auto gradients = torch::autograd::grad({ loss }, { w1, b1, w2, b2 });

        compareWithReference(record.blocks[0].activation, referenceFigures(h1), "fc1 output");
        compareWithReference(record.blocks[1].activation, referenceFigures(r1), "relu1 output");
        compareWithReference(record.blocks[2].activation, referenceFigures(h2), "fc2 output");
        QVERIFY(record.blocks[1].activation.zeroFraction > 0.2); // the check can tell zeros apart
        QVERIFY(!record.blocks[1].gradient);
        QCOMPARE(record.blocks[1].gradientNorm, 0.0);
        const std::vector<double> fc1Gradient = referenceFigures(torch::cat({ gradients[0].flatten(), gradients[1] }));
        const std::vector<double> fc2Gradient = referenceFigures(torch::cat({ gradients[2].flatten(), gradients[3] }));
        QVERIFY(record.blocks[0].gradient);
        compareWithReference(*record.blocks[0].gradient, fc1Gradient, "fc1 gradient");
        compareWithReference(*record.blocks[2].gradient, fc2Gradient, "fc2 gradient");
        QVERIFY(std::abs(record.blocks[0].gradientNorm - fc1Gradient[4]) <= 1e-5 * fc1Gradient[4]);
        QVERIFY(std::abs(record.blocks[2].gradientNorm - fc2Gradient[4]) <= 1e-5 * fc2Gradient[4]);
        // finish() stopped watching: the model runs unwatched again.
        QVERIFY(model->forward(x).defined());
    }

    void trainerRecordsEveryNBatchesIntoTheRunFolder()
    {
        const std::string folder = netdraft::tests::freshFolder("block-statistics");
        TrainingSettings settings = quickSettings();
        settings.epochs = 2;
        settings.statisticsEvery = 10; // 30 batches an epoch: batches 1, 11 and 21
        TrainerOptions options;
        options.outputDirectory = folder;
        auto trainer = statisticsTrainer(smallClassifier(), settings, options);
        std::vector<StatisticsRecord> records;
        std::vector<EpochReport> epochs;
        TrainingObserver observer;
        observer.onStatistics = [&](const StatisticsRecord& record) { records.push_back(record); };
        observer.onEpoch = [&](const EpochReport& report) { epochs.push_back(report); };
        trainer->setObserver(observer);
        const TrainingResult result = trainer->run();
        QCOMPARE(toString(result.reason), "completed");
        QCOMPARE(records.size(), size_t(6));
        const int64_t batches[] = { 1, 11, 21, 1, 11, 21 };
        for (size_t i = 0; i < records.size(); ++i) {
            QCOMPARE(records[i].epoch, int64_t(i / 3 + 1));
            QCOMPARE(records[i].batch, batches[i]);
            QCOMPARE(records[i].step, int64_t(i * 10));
        }
        // Each epoch's averages are the means of its records.
        QCOMPARE(epochs.size(), size_t(2));
        QCOMPARE(epochs[1].statistics.size(), size_t(3));
        const double meanNorm = (records[3].blocks[2].gradientNorm + records[4].blocks[2].gradientNorm
                                    + records[5].blocks[2].gradientNorm)
            / 3;
        QVERIFY(std::abs(epochs[1].statistics[2].gradientNorm - meanNorm) < 1e-12 * std::max(1.0, meanNorm));
        QVERIFY(epochs[1].warnings.empty()); // a healthy network: no dead ReLU

        std::ifstream file(folder + "/statistics.jsonl");
        std::vector<nlohmann::json> lines;
        for (std::string line; std::getline(file, line);)
            lines.push_back(nlohmann::json::parse(line));
        QCOMPARE(lines.size(), size_t(6));
        QCOMPARE(lines[4]["epoch"].get<int64_t>(), int64_t(2));
        QCOMPARE(lines[4]["batch"].get<int64_t>(), int64_t(11));
        const nlohmann::json& fc2 = lines[4]["blocks"][2];
        QCOMPARE(fc2["id"].get<std::string>(), std::string("fc2"));
        QCOMPARE(fc2["gradient"]["norm"].get<double>(), records[4].blocks[2].gradientNorm);
        QCOMPARE(fc2["activation"]["max_abs"].get<double>(), records[4].blocks[2].activation.maxAbs);
        QVERIFY(!lines[4]["blocks"][1].contains("gradient")); // the ReLU has no parameters
    }

    void offRecordsNothing()
    {
        const std::string folder = netdraft::tests::freshFolder("block-statistics-off");
        TrainingSettings settings = quickSettings();
        settings.epochs = 1;
        TrainerOptions options;
        options.outputDirectory = folder;
        auto trainer = statisticsTrainer(smallClassifier(), settings, options);
        int records = 0;
        TrainingObserver observer;
        observer.onStatistics = [&](const StatisticsRecord&) { ++records; };
        trainer->setObserver(observer);
        QCOMPARE(toString(trainer->run().reason), "completed");
        QCOMPARE(records, 0);
        QVERIFY(!std::filesystem::exists(folder + "/statistics.jsonl"));
    }

    void deadReluIsWarnedOf()
    {
        // fc1's bias of -100 puts every input of the ReLU far below zero: all of its outputs are zero,
        // no gradient reaches fc1, and it stays so.
        Graph graph = smallClassifier();
        graph.block("relu1").name = "Gate";
        TrainingSettings settings = quickSettings();
        settings.epochs = 2;
        settings.statisticsEvery = 5;
        auto trainer = statisticsTrainer(graph, settings, {}, [](GraphModel& model) {
            torch::NoGradGuard noGrad;
            statisticsLinear(model, "fc1")->bias.fill_(-100.0);
        });
        std::vector<EpochReport> epochs;
        trainer->setObserver({ {}, [&](const EpochReport& report) { epochs.push_back(report); } });
        QCOMPARE(toString(trainer->run().reason), "completed");
        QCOMPARE(epochs.size(), size_t(2));
        QCOMPARE(epochs[1].warnings.size(), size_t(1));
        QCOMPARE(epochs[1].warnings[0].rfind("block Gate (relu1): 100 % of this ReLU's outputs were zero in epoch 2 "
                                             "(a dead ReLU",
                     0),
            size_t(0));
        QCOMPARE(epochs[1].statistics[1].activation.zeroFraction, 1.0);
    }

    void deadReluThreshold_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<double>("zeros");
        QTest::addColumn<bool>("warned");
        QTest::newRow("ReLU 96 %") << "ReLU" << 0.96 << true;
        QTest::newRow("ReLU 95 %") << "ReLU" << 0.95 << false;
        QTest::newRow("ReLU6 99 %") << "ReLU6" << 0.99 << true;
        QTest::newRow("Linear 100 %") << "Linear" << 1.0 << false;
        QTest::newRow("GELU 99 %") << "GELU" << 0.99 << false;
    }

    void deadReluThreshold()
    {
        QFETCH(QString, type);
        QFETCH(double, zeros);
        QFETCH(bool, warned);
        BlockStatistics block;
        block.blockId = "act";
        block.label = "act";
        block.type = type.toStdString();
        block.activation.zeroFraction = zeros;
        QCOMPARE(deadReluWarnings({ block }, 1).size(), size_t(warned ? 1 : 0));
    }
};

NETDRAFT_TEST(BlockStatisticsTest);
#include "BlockStatisticsTest.moc"
