// The trainer loop on a small synthetic dataset: learning, reproducibility, stop, pause, NaN, early stopping.

#include <torch/torch.h>

#include "engine/model/GraphModel.h"
#include "engine/train/Checkpoint.h"
#include "engine/train/Trainer.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <regex>
#include <thread>

using namespace netdraft::engine;
using netdraft::tests::blobs;
using netdraft::tests::quickSettings;
using netdraft::tests::smallClassifier;

namespace {

std::unique_ptr<Trainer> makeTrainer(
    const TrainingSettings& settings, TrainerOptions options = {}, int64_t samples = 480)
{
    options.prefetch = false;
    return std::make_unique<Trainer>(buildModel(smallClassifier(), 3), blobs(samples), settings, options);
}

/// Every batch's running loss of a run.
std::vector<double> lossCurve(const TrainingSettings& settings)
{
    std::vector<double> curve;
    auto trainer = makeTrainer(settings);
    trainer->setObserver({ [&](const BatchReport& report) { curve.push_back(report.loss); } });
    const TrainingResult result = trainer->run();
    if (result.reason != StopReason::Completed)
        qWarning("run ended with: %s", result.message.c_str());
    return curve;
}

} // namespace

class TrainerTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void lossDecreasesAndAccuracyRises()
    {
        std::vector<EpochReport> epochs;
        int64_t batches = 0;
        auto trainer = makeTrainer(quickSettings());
        trainer->setObserver({ [&](const BatchReport& report) {
                                  ++batches;
                                  QCOMPARE(report.batchesPerEpoch, int64_t(30)); // 480 / 16
                                  QCOMPARE(report.learningRate, 0.05);
                                  QVERIFY(report.samplesPerSecond > 0);
                              },
            [&](const EpochReport& report) { epochs.push_back(report); } });
        const TrainingResult result = trainer->run();
        QCOMPARE(toString(result.reason), "completed");
        QCOMPARE(batches, int64_t(4 * 30));
        QCOMPARE(epochs.size(), size_t(4));
        QVERIFY(epochs.back().train.loss < 0.5 * epochs.front().train.loss);
        QVERIFY(epochs.back().validation);
        QVERIFY2(*epochs.back().validation->accuracy > 0.9,
            qPrintable(QString::number(*epochs.back().validation->accuracy)));
        QVERIFY(result.test && result.test->samples == 120);
        QCOMPARE(result.test->confusionMatrix.size(), size_t(3));
        QVERIFY(*result.test->accuracy > 0.9);
    }

    void sameSeedGivesIdenticalCurve()
    {
        const std::vector<double> first = lossCurve(quickSettings());
        const std::vector<double> second = lossCurve(quickSettings());
        QCOMPARE(first.size(), size_t(120));
        QVERIFY(first == second); // bit for bit
        TrainingSettings other = quickSettings();
        other.seed = 12;
        QVERIFY(lossCurve(other) != first);
    }

    void stopWithinOneBatch()
    {
        const std::string folder = netdraft::tests::freshFolder("trainer-stop");
        TrainerOptions options;
        options.outputDirectory = folder;
        auto trainer = makeTrainer(quickSettings(), options);
        int64_t batches = 0;
        trainer->setObserver({ [&](const BatchReport& report) {
            ++batches;
            if (report.epoch == 2 && report.batch == 7)
                trainer->requestStop();
        } });
        const TrainingResult result = trainer->run();
        QCOMPARE(toString(result.reason), "stopped");
        QCOMPARE(batches, int64_t(30 + 7));
        QCOMPARE(result.epochsCompleted, int64_t(1));
        const Checkpoint checkpoint = Checkpoint::open(folder + "/checkpoint.pt");
        QCOMPARE(checkpoint.progress().epoch, int64_t(1));
        QCOMPARE(checkpoint.progress().batchInEpoch, int64_t(7));
        QCOMPARE(checkpoint.progress().step, int64_t(37));
        QVERIFY(std::filesystem::exists(folder + "/weights.pt"));
    }

    void pauseHoldsTheRunUntilResume()
    {
        auto trainer = makeTrainer(quickSettings());
        std::atomic<int64_t> batches { 0 };
        std::thread controller;
        std::atomic<int64_t> seenWhilePaused { -1 };
        trainer->setObserver({ [&](const BatchReport&) {
            if (++batches == 5) {
                trainer->pause();
                controller = std::thread([&] {
                    std::this_thread::sleep_for(std::chrono::milliseconds(300));
                    seenWhilePaused = batches.load();
                    trainer->resume();
                });
            }
        } });
        const auto start = std::chrono::steady_clock::now();
        const TrainingResult result = trainer->run();
        controller.join();
        QCOMPARE(toString(result.reason), "completed");
        QCOMPARE(seenWhilePaused.load(), int64_t(5));
        QCOMPARE(batches.load(), int64_t(120));
        QVERIFY(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(300));
    }

    void stopFromAnotherThreadWhilePaused()
    {
        auto trainer = makeTrainer(quickSettings());
        trainer->pause();
        std::thread stopper([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            trainer->requestStop();
        });
        int64_t batches = 0;
        trainer->setObserver({ [&](const BatchReport&) { ++batches; } });
        const TrainingResult result = trainer->run();
        stopper.join();
        QCOMPARE(toString(result.reason), "stopped");
        QCOMPARE(batches, int64_t(0));
    }

    void nonFiniteLossStopsAndKeepsLastGoodCheckpoint()
    {
        const std::string folder = netdraft::tests::freshFolder("trainer-nan");
        TrainingSettings settings = quickSettings();
        settings.schedule = "step"; // epoch 1 at 0.05, epoch 2 at 5e28
        settings.stepSize = 1;
        settings.gamma = 1e30;
        TrainerOptions options;
        options.outputDirectory = folder;
        auto trainer = makeTrainer(settings, options);
        const TrainingResult result = trainer->run();
        QCOMPARE(toString(result.reason), "nan");
        // The failing batch ran again with checks: the message names the first block to overflow.
        const std::regex expected(
            "(loss|a gradient) became (NaN|infinite) at epoch 2, batch [0-9]+: block fc[12]: .* in (forward|backward)"
            ".*; lower the learning rate.*");
        QVERIFY2(std::regex_match(result.message, expected), result.message.c_str());
        const Checkpoint checkpoint = Checkpoint::open(folder + "/checkpoint.pt");
        QCOMPARE(checkpoint.progress().epoch, int64_t(1));
        GraphModel model = buildModel(smallClassifier(), 3);
        checkpoint.restoreModel(*model);
        for (const auto& parameter : model->parameters())
            QVERIFY(torch::isfinite(parameter).all().item<bool>());
    }

    void earlyStoppingAfterPatience()
    {
        TrainingSettings settings = quickSettings();
        settings.epochs = 20;
        settings.learningRate = 0.0; // nothing improves after the first epoch
        settings.earlyStoppingPatience = 2;
        std::vector<bool> improved;
        auto trainer = makeTrainer(settings);
        trainer->setObserver({ {}, [&](const EpochReport& report) { improved.push_back(report.improved); } });
        const TrainingResult result = trainer->run();
        QCOMPARE(toString(result.reason), "early_stopping");
        QCOMPARE(result.epochsCompleted, int64_t(3));
        QCOMPARE(result.bestEpoch, int64_t(1));
        QVERIFY((improved == std::vector<bool> { true, false, false }));
    }

    void keepBestRestoresTheBestEpoch()
    {
        TrainingSettings settings = quickSettings();
        settings.keepBest = true;
        settings.monitor = "val_accuracy";
        settings.epochs = 3;
        NamedTensors bestSeen;
        auto trainer = makeTrainer(settings);
        trainer->setObserver({ {}, [&](const EpochReport& report) {
                                  if (!report.improved)
                                      return;
                                  bestSeen = moduleState(*trainer->model());
                                  for (auto& item : bestSeen)
                                      item.second = item.second.clone();
                              } });
        const TrainingResult result = trainer->run();
        QCOMPARE(toString(result.reason), "completed");
        QVERIFY(result.bestEpoch >= 1);
        const NamedTensors finalState = moduleState(*trainer->model());
        for (size_t i = 0; i < finalState.size(); ++i)
            QVERIFY(torch::equal(finalState[i].second, bestSeen[i].second));
    }

    void deterministicAndBenchmarkSettingsReachLibTorch()
    {
        TrainingSettings settings = quickSettings();
        settings.epochs = 1;
        settings.deterministic = true;
        settings.cudnnBenchmark = true; // ignored in deterministic mode
        QCOMPARE(toString(makeTrainer(settings, {}, 64)->run().reason), "completed");
        QVERIFY(at::globalContext().deterministicAlgorithms());
        QVERIFY(at::globalContext().deterministicCuDNN());
        QVERIFY(!at::globalContext().benchmarkCuDNN());
        settings.deterministic = false;
        QCOMPARE(toString(makeTrainer(settings, {}, 64)->run().reason), "completed");
        QVERIFY(!at::globalContext().deterministicAlgorithms());
        QVERIFY(at::globalContext().benchmarkCuDNN());
        settings.cudnnBenchmark = false;
        QCOMPARE(toString(makeTrainer(settings, {}, 64)->run().reason), "completed");
        QVERIFY(!at::globalContext().benchmarkCuDNN());
    }

    void failuresAreReportedNotThrown()
    {
        TrainingSettings settings = quickSettings();
        settings.optimizer = "lion";
        std::string finished;
        auto trainer = makeTrainer(settings);
        trainer->setObserver({ {}, {}, {}, [&](const TrainingResult& result) { finished = result.message; } });
        const TrainingResult result = trainer->run();
        QCOMPARE(toString(result.reason), "failed");
        QVERIFY(result.message.find("optimizer") != std::string::npos);
        QCOMPARE(finished, result.message);
        if (!torch::cuda::is_available()) {
            settings = quickSettings();
            settings.device = "cuda";
            const TrainingResult noCuda = makeTrainer(settings)->run();
            QVERIFY2(noCuda.message.rfind("device 'cuda': CPU only: no CUDA device found", 0) == 0, noCuda.message.c_str());
            QVERIFY2(noCuda.message.find("use --device cpu") != std::string::npos, noCuda.message.c_str());
        }
    }
};

NETDRAFT_TEST(TrainerTest);
#include "TrainerTest.moc"
