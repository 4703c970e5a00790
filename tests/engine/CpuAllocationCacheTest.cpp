// The trainer's reuse of freed CPU buffers: reuse within a scope, LibTorch's allocator restored after it,
// tensors outliving it, overlapping scopes, threads, and a training run equal bit for bit with and
// without it.

#include <torch/torch.h>

#include "engine/model/GraphModel.h"
#include "engine/train/CpuAllocationCache.h"
#include "engine/train/Trainer.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <c10/core/CPUAllocator.h>

#include <QTest>

#include <memory>
#include <thread>

using namespace netdraft::engine;

namespace {

constexpr int64_t oneMegabyteOfFloats = int64_t(1) << 18;

/// CIFAR-shaped random images with ten classes.
PreparedData randomImages(int64_t samples)
{
    torch::manual_seed(11);
    PreparedData data;
    data.train.inputs = torch::randint(0, 256, { samples, 3, 32, 32 }, torch::kUInt8);
    data.train.targets = torch::randint(0, 10, { samples }, torch::kLong);
    data.train.inputScale = 255.0;
    for (int c = 0; c < 10; ++c)
        data.train.classNames.push_back("class" + std::to_string(c));
    return data;
}

/// The classic CNN's weights after one epoch of SGD on `data`, with or without buffer reuse.
std::vector<torch::Tensor> weightsAfterOneEpoch(const PreparedData& data, bool reuse)
{
    TrainingSettings settings;
    settings.epochs = 1;
    settings.batchSize = 32;
    settings.optimizer = "sgd";
    settings.learningRate = 0.01;
    settings.momentum = 0.9;
    settings.threads = 1;
    settings.keepBest = false;
    TrainerOptions options;
    options.prefetch = false;
    options.reuseCpuBuffers = reuse;
    GraphModel model = buildModel(netdraft::tests::classicCnn(true), 5);
    Trainer trainer(model, data, settings, options);
    const TrainingResult result = trainer.run();
    if (result.reason != StopReason::Completed)
        qWarning("run ended with: %s", result.message.c_str());
    std::vector<torch::Tensor> weights;
    for (const torch::Tensor& parameter : model->parameters())
        weights.push_back(parameter.detach().clone());
    return weights;
}

} // namespace

class CpuAllocationCacheTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void reusesAFreedBufferOfTheSameSizeAndRestoresTheAllocator()
    {
        c10::Allocator* const before = c10::GetCPUAllocator();
        {
            CpuAllocationCache scope;
            QVERIFY(CpuAllocationCache::statistics().active);
            QVERIFY(c10::GetCPUAllocator() != before);
            const int64_t reusedBefore = CpuAllocationCache::statistics().reused;
            torch::Tensor first = torch::empty({ oneMegabyteOfFloats });
            void* const address = first.data_ptr();
            first.reset();
            QCOMPARE(CpuAllocationCache::statistics().keptBytes, int64_t(1) << 20);
            torch::Tensor second = torch::empty({ oneMegabyteOfFloats });
            QCOMPARE(second.data_ptr(), address);
            QCOMPARE(CpuAllocationCache::statistics().reused, reusedBefore + 1);
            QCOMPARE(CpuAllocationCache::statistics().keptBytes, int64_t(0));
            // A buffer LibTorch writes and reads back through the cache holds what was written.
            second.fill_(2.5f);
            QCOMPARE(second.sum().item<double>(), 2.5 * static_cast<double>(oneMegabyteOfFloats));
        }
        QCOMPARE(c10::GetCPUAllocator(), before);
        QVERIFY(!CpuAllocationCache::statistics().active);
        QCOMPARE(CpuAllocationCache::statistics().keptBytes, int64_t(0));
    }

    void smallRequestsAreNotCached()
    {
        CpuAllocationCache scope;
        const int64_t allocations = CpuAllocationCache::statistics().allocations;
        torch::Tensor small = torch::ones({ 100 });
        QCOMPARE(CpuAllocationCache::statistics().allocations, allocations);
        QCOMPARE(small.sum().item<double>(), 100.0);
    }

    void aTensorOutlivingTheScopeStaysValidAndIsFreedNormally()
    {
        torch::Tensor survivor;
        {
            CpuAllocationCache scope;
            survivor = torch::full({ oneMegabyteOfFloats }, 3.0f);
        }
        QVERIFY(!CpuAllocationCache::statistics().active);
        QCOMPARE(survivor.sum().item<double>(), 3.0 * static_cast<double>(oneMegabyteOfFloats));
        survivor.reset(); // freed to the system, not kept: nothing is active
        QCOMPARE(CpuAllocationCache::statistics().keptBytes, int64_t(0));
    }

    void overlappingScopesKeepTheCacheUntilTheLastEnds()
    {
        c10::Allocator* const before = c10::GetCPUAllocator();
        auto first = std::make_unique<CpuAllocationCache>();
        auto second = std::make_unique<CpuAllocationCache>();
        first.reset(); // ends before the second, as two trainers on two threads may
        QVERIFY(CpuAllocationCache::statistics().active);
        second.reset();
        QVERIFY(!CpuAllocationCache::statistics().active);
        QCOMPARE(c10::GetCPUAllocator(), before);
    }

    void threadsAllocatingAtOnce()
    {
        CpuAllocationCache scope;
        // Each thread fills its tensors with its own value; a buffer handed to both at once would mix them.
        auto work = [](float value) {
            int wrong = 0;
            for (int i = 0; i < 200; ++i) {
                torch::Tensor tensor = torch::full({ oneMegabyteOfFloats / 4 * (1 + i % 3) }, value);
                std::this_thread::yield();
                wrong += tensor.ne(value).sum().item<int>() > 0 ? 1 : 0;
            }
            return wrong;
        };
        int wrongOther = 0;
        std::thread other([&] { wrongOther = work(1.0f); });
        const int wrongHere = work(2.0f);
        other.join();
        QCOMPARE(wrongHere, 0);
        QCOMPARE(wrongOther, 0);
    }

    void trainingEqualsTrainingWithoutReuseBitForBit()
    {
        const PreparedData data = randomImages(256);
        const int64_t reusedBefore = CpuAllocationCache::statistics().reused;
        const std::vector<torch::Tensor> reused = weightsAfterOneEpoch(data, true);
        const int64_t reusedByTheRun = CpuAllocationCache::statistics().reused - reusedBefore;
        const std::vector<torch::Tensor> plain = weightsAfterOneEpoch(data, false);
        QCOMPARE(CpuAllocationCache::statistics().reused - reusedBefore, reusedByTheRun); // off means off
        // Eight steps, each freeing and allocating again its activations and gradients.
        QVERIFY2(reusedByTheRun > 8 * 4, qPrintable(QString::number(reusedByTheRun)));
        QCOMPARE(reused.size(), plain.size());
        for (size_t i = 0; i < reused.size(); ++i)
            QVERIFY2(torch::equal(reused[i], plain[i]), qPrintable(QString("parameter %1 differs").arg(i)));
        QVERIFY(!CpuAllocationCache::statistics().active);
    }
};

NETDRAFT_TEST(CpuAllocationCacheTest);
#include "CpuAllocationCacheTest.moc"
