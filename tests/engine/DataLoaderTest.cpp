// The data loader: every sample once per epoch, seeded orders, normalisation equal to plain
// LibTorch arithmetic, shape-preserving crop and flip, identical batches with and without prefetch.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/data/DataLoader.h"
#include "engine/data/GeneratedDatasets.h"
#include "engine/data/NormalizationStats.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

namespace {

/// Random uint8 images whose targets are their own indexes, so a batch says which samples it holds.
InMemoryDataset indexedImages(int64_t count, int64_t channels = 3, int64_t side = 8)
{
    torch::manual_seed(4);
    InMemoryDataset data;
    data.inputs = torch::randint(0, 256, { count, channels, side, side }, torch::kInt64).to(torch::kUInt8);
    data.targets = torch::arange(count, torch::kInt64);
    data.classNames = { "a", "b" };
    data.inputScale = 255.0;
    return data;
}

/// All batches of one epoch.
std::vector<Batch> epochBatches(DataLoader& loader, int64_t epoch)
{
    loader.startEpoch(epoch);
    std::vector<Batch> batches;
    while (auto batch = loader.next())
        batches.push_back(*batch);
    return batches;
}

torch::Tensor epochOrder(DataLoader& loader, int64_t epoch)
{
    std::vector<torch::Tensor> targets;
    for (const Batch& batch : epochBatches(loader, epoch))
        targets.push_back(batch.targets);
    return torch::cat(targets);
}

} // namespace

class DataLoaderTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everySampleOncePerEpoch_data()
    {
        QTest::addColumn<qint64>("batchSize");
        QTest::addColumn<bool>("prefetch");
        QTest::addColumn<bool>("dropLast");
        QTest::newRow("7, prefetch") << qint64(7) << true << false;
        QTest::newRow("10, no prefetch") << qint64(10) << false << false;
        QTest::newRow("64 > size") << qint64(64) << true << false;
        QTest::newRow("7, drop last") << qint64(7) << false << true;
    }

    void everySampleOncePerEpoch()
    {
        QFETCH(qint64, batchSize);
        QFETCH(bool, prefetch);
        QFETCH(bool, dropLast);
        InMemoryDataset data = indexedImages(50);
        LoaderOptions options;
        options.batchSize = batchSize;
        options.prefetch = prefetch;
        options.dropLast = dropLast;
        DataLoader loader(data, options);
        const int64_t full = 50 / batchSize;
        QCOMPARE(loader.batchesPerEpoch(), dropLast ? full : (50 + batchSize - 1) / batchSize);
        for (int64_t epoch = 0; epoch < 2; ++epoch) {
            auto batches = epochBatches(loader, epoch);
            QCOMPARE(int64_t(batches.size()), loader.batchesPerEpoch());
            for (size_t b = 0; b + 1 < batches.size(); ++b)
                QCOMPARE(batches[b].size(), std::min<int64_t>(batchSize, 50));
            torch::Tensor seen = std::get<0>(epochOrder(loader, epoch).sort());
            if (dropLast) {
                QCOMPARE(seen.size(0), full * batchSize);
                QCOMPARE(std::get<0>(at::_unique(seen)).size(0), seen.size(0)); // no sample twice
            } else {
                QVERIFY(torch::equal(seen, torch::arange(50, torch::kInt64)));
            }
            // Each batch's images are exactly the samples its targets name, as float in [0, 1].
            for (const Batch& batch : batches) {
                QCOMPARE(batch.inputs.scalar_type(), torch::kFloat32);
                QVERIFY(torch::allclose(
                    batch.inputs, data.inputs.index_select(0, batch.targets).to(torch::kFloat32) / 255.0));
            }
        }
        QVERIFY(!loader.next().has_value());
    }

    void ordersFollowSeedAndEpoch()
    {
        InMemoryDataset data = indexedImages(40);
        LoaderOptions options;
        options.batchSize = 8;
        options.seed = 5;
        DataLoader first(data, options), second(data, options);
        options.seed = 6;
        DataLoader otherSeed(data, options);
        options.shuffle = false;
        DataLoader unshuffled(data, options);
        QVERIFY(torch::equal(epochOrder(first, 3), epochOrder(second, 3)));
        QVERIFY(!torch::equal(epochOrder(first, 0), epochOrder(first, 1)));
        QVERIFY(!torch::equal(epochOrder(first, 0), epochOrder(otherSeed, 0)));
        QVERIFY(torch::equal(epochOrder(first, 0), epochOrder(second, 0))); // after other epochs: no hidden state
        QVERIFY(torch::equal(epochOrder(unshuffled, 2), torch::arange(40, torch::kInt64)));
    }

    void normalisationMatchesPlainLibTorch()
    {
        InMemoryDataset data = indexedImages(30);
        Normalization normalization = computeNormalization(data);
        torch::Tensor scaled = data.inputs.to(torch::kFloat64) / 255.0;
        torch::Tensor mean = scaled.mean({ 0, 2, 3 });
        torch::Tensor std = scaled.std({ 0, 2, 3 }, /*unbiased=*/false);
        for (int64_t c = 0; c < 3; ++c) {
            QVERIFY(std::abs(normalization.mean[c] - mean[c].item<double>()) < 1e-9);
            QVERIFY(std::abs(normalization.std[c] - std[c].item<double>()) < 1e-9);
        }
        LoaderOptions options;
        options.batchSize = 9;
        options.normalization = normalization;
        DataLoader loader(data, options);
        for (const Batch& batch : epochBatches(loader, 0)) {
            torch::Tensor x = data.inputs.index_select(0, batch.targets).to(torch::kFloat32);
            torch::Tensor expected = (x / 255.0 - mean.to(torch::kFloat32).view({ 1, 3, 1, 1 }))
                / std.to(torch::kFloat32).view({ 1, 3, 1, 1 });
            QVERIFY(torch::allclose(batch.inputs, expected, 1e-5, 1e-5));
        }
    }

    void cropAndFlipKeepShapeAndPixels()
    {
        InMemoryDataset data = indexedImages(24, 2, 6);
        LoaderOptions options;
        options.batchSize = 8;
        options.cropPadding = 2;
        options.horizontalFlip = true;
        DataLoader loader(data, options);
        int changed = 0, flippedFound = 0;
        for (const Batch& batch : epochBatches(loader, 1)) {
            QCOMPARE(batch.inputs.sizes().vec(), (std::vector<int64_t> { batch.size(), 2, 6, 6 }));
            for (int64_t i = 0; i < batch.size(); ++i) {
                // The output must be one of the 5×5 crops of the zero-padded original, flipped or not.
                torch::Tensor original = data.inputs[batch.targets[i].item<int64_t>()].to(torch::kFloat32) / 255.0;
                torch::Tensor padded = torch::constant_pad_nd(original, { 2, 2, 2, 2 }, 0);
                bool matched = false;
                for (int64_t top = 0; top <= 4 && !matched; ++top)
                    for (int64_t left = 0; left <= 4 && !matched; ++left) {
                        torch::Tensor crop = padded.narrow(1, top, 6).narrow(2, left, 6);
                        bool plain = torch::allclose(batch.inputs[i], crop);
                        bool flipped = torch::allclose(batch.inputs[i], crop.flip({ 2 }));
                        matched = plain || flipped;
                        changed += matched && !(plain && top == 2 && left == 2);
                        flippedFound += flipped && !plain;
                    }
                QVERIFY2(matched, "an augmented image is no crop of its padded original");
            }
        }
        QVERIFY(changed > 12);
        QVERIFY(flippedFound > 3);
    }

    void prefetchGivesIdenticalBatches()
    {
        InMemoryDataset data = indexedImages(45);
        LoaderOptions options;
        options.batchSize = 8;
        options.cropPadding = 1;
        options.horizontalFlip = true;
        options.normalization = computeNormalization(data);
        options.prefetch = true;
        DataLoader prefetching(data, options);
        options.prefetch = false;
        DataLoader direct(data, options);
        for (int64_t epoch : { 0, 1, 0 }) {
            auto a = epochBatches(prefetching, epoch);
            auto b = epochBatches(direct, epoch);
            QCOMPARE(a.size(), b.size());
            for (size_t k = 0; k < a.size(); ++k) {
                QVERIFY(torch::equal(a[k].inputs, b[k].inputs));
                QVERIFY(torch::equal(a[k].targets, b[k].targets));
            }
        }
    }

    void stopsCleanlyMidEpoch()
    {
        InMemoryDataset data = indexedImages(200);
        LoaderOptions options;
        options.batchSize = 4;
        for (int round = 0; round < 20; ++round) {
            DataLoader loader(data, options);
            loader.startEpoch(round);
            QVERIFY(loader.next().has_value());
            if (round % 2)
                loader.startEpoch(round + 1); // restart while the helper thread waits on a full queue
        } // destroyed mid-epoch: must join without hanging
        DataLoader loader(data, options);
        loader.next();
        QVERIFY(torch::equal(std::get<0>(epochOrder(loader, 0).sort()), torch::arange(200, torch::kInt64)));
    }

    void featuresAndTokens()
    {
        InMemoryDataset points = generateMoons(30, 1);
        LoaderOptions options;
        options.batchSize = 16;
        options.shuffle = false;
        options.normalization = computeNormalization(points);
        DataLoader pointLoader(points, options);
        Batch batch = *pointLoader.next();
        torch::Tensor mean = points.inputs.mean({ 0 }, true), std = points.inputs.std({ 0 }, false, true);
        QVERIFY(torch::allclose(batch.inputs, ((points.inputs - mean) / std).narrow(0, 0, 16), 1e-4, 1e-5));

        InMemoryDataset tokens = generateSequences(30, 1);
        options.normalization = {};
        DataLoader tokenLoader(tokens, options);
        batch = *tokenLoader.next();
        QCOMPARE(batch.inputs.scalar_type(), torch::kInt64);
        QVERIFY(torch::equal(batch.inputs, tokens.inputs.narrow(0, 0, 16)));
    }

    void refusesUnsuitableOptions_data()
    {
        QTest::addColumn<QString>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("crop on features") << "crop"
                                          << "crop and flip augmentation need uint8 images";
        QTest::newRow("normalise tokens") << "tokens"
                                          << "token ids (int64) cannot be normalised";
        QTest::newRow("channel count") << "channels"
                                       << "normalisation has 1 means and 1 stds but the inputs have 3";
        QTest::newRow("batch size") << "batch"
                                    << "batch size must be > 0";
    }

    void refusesUnsuitableOptions()
    {
        QFETCH(QString, which);
        QFETCH(QString, message);
        LoaderOptions options;
        InMemoryDataset data = indexedImages(10);
        if (which == "crop") {
            data = generateMoons(10, 1);
            options.cropPadding = 2;
        } else if (which == "tokens") {
            data = generateSequences(10, 1);
            options.normalization = { { 0.5 }, { 1.0 } };
        } else if (which == "channels") {
            options.normalization = { { 0.5 }, { 1.0 } };
        } else {
            options.batchSize = 0;
        }
        try {
            DataLoader loader(data, options);
            QFAIL("unsuitable options accepted");
        } catch (const Error& error) {
            QVERIFY2(QString(error.what()).contains(message), error.what());
        }
    }
};

NETDRAFT_TEST(DataLoaderTest);
#include "DataLoaderTest.moc"
