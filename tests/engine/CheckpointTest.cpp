// Checkpoints: an interrupted and resumed run ends with the weights of an uninterrupted one; damaged
// files and checkpoints of another graph are refused with clear errors.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/model/GraphModel.h"
#include "engine/train/Checkpoint.h"
#include "engine/train/GraphFingerprint.h"
#include "engine/train/OptimizerFactory.h"
#include "engine/train/Trainer.h"
#include "engine/io/ZipContainerCheck.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <filesystem>
#include <fstream>

using namespace netdraft::engine;
using netdraft::tests::blobs;
using netdraft::tests::quickSettings;
using netdraft::tests::smallClassifier;

namespace {

const std::string graphHash = graphFingerprint(smallClassifier());

TrainingResult train(uint64_t modelSeed, TrainerOptions options,
    std::function<void(Trainer&, int64_t, int64_t)> onBatch, GraphModel* finalModel = nullptr, bool keepBest = true)
{
    options.graphHash = graphHash;
    options.prefetch = false;
    TrainingSettings settings = quickSettings();
    settings.keepBest = keepBest; // the best-epoch snapshot must survive the interruption too
    Trainer trainer(buildModel(smallClassifier(), modelSeed), blobs(320), settings, options);
    if (onBatch)
        trainer.setObserver({ [&](const BatchReport& r) { onBatch(trainer, r.epoch, r.batch); } });
    TrainingResult result = trainer.run();
    if (finalModel)
        *finalModel = trainer.model();
    return result;
}

bool sameWeights(const GraphModel& a, const GraphModel& b)
{
    const NamedTensors left = moduleState(*a), right = moduleState(*b);
    if (left.size() != right.size())
        return false;
    for (size_t i = 0; i < left.size(); ++i)
        if (left[i].first != right[i].first || !torch::equal(left[i].second, right[i].second))
            return false;
    return true;
}

std::string readBytes(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeBytes(const std::string& path, const std::string& bytes)
{
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

/// Rewrites a checkpoint with a fresh optimizer (no momentum buffers) but everything else kept.
void dropOptimizerState(const std::string& path)
{
    const Checkpoint checkpoint = Checkpoint::open(path);
    GraphModel model = buildModel(smallClassifier(), 0);
    checkpoint.restoreModel(*model);
    auto freshOptimizer = makeOptimizer(quickSettings(), model->parameters());
    CheckpointContents contents;
    contents.model = model.get();
    contents.optimizer = freshOptimizer.get();
    contents.optimizerName = checkpoint.optimizerName();
    contents.scheduleName = checkpoint.scheduleName();
    contents.progress = checkpoint.progress();
    contents.graphHash = checkpoint.graphHash();
    contents.rngState = checkpoint.rngState();
    contents.bestWeights = checkpoint.bestWeights();
    saveCheckpoint(path, contents);
}

} // namespace

class CheckpointTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resumedRunEqualsUninterrupted_data()
    {
        QTest::addColumn<int>("stopEpoch");
        QTest::addColumn<int>("stopBatch");
        QTest::newRow("after epoch 2") << 2 << 20; // 320 / 16 = 20 batches per epoch
        QTest::newRow("mid epoch 3") << 3 << 9;
    }

    void resumedRunEqualsUninterrupted()
    {
        QFETCH(int, stopEpoch);
        QFETCH(int, stopBatch);
        GraphModel uninterrupted = nullptr;
        QCOMPARE(toString(train(3, {}, {}, &uninterrupted).reason), "completed");

        const std::string folder = netdraft::tests::freshFolder("checkpoint-resume");
        TrainerOptions options;
        options.outputDirectory = folder;
        const TrainingResult first = train(3, options, [&](Trainer& trainer, int64_t epoch, int64_t batch) {
            if (epoch == stopEpoch && batch == stopBatch)
                trainer.requestStop();
        });
        QCOMPARE(toString(first.reason), "stopped");
        const std::string checkpoint = folder + "/checkpoint.pt";
        const std::string copy = folder + "/without-momentum.pt";
        std::filesystem::copy_file(checkpoint, copy);

        // Resume into a model initialised differently: everything must come from the checkpoint.
        options.resumeFrom = checkpoint;
        options.outputDirectory = folder + "/resumed";
        GraphModel resumed = nullptr;
        const TrainingResult second = train(99, options, {}, &resumed);
        QCOMPARE(toString(second.reason), "completed");
        QVERIFY(sameWeights(uninterrupted, resumed));

        // Control: the same resume without the optimizer's momentum ends elsewhere, so the test can fail.
        // Compared on the last weights, as keep-best could hand back a snapshot from before the stop.
        GraphModel lastWeights = nullptr;
        QCOMPARE(toString(train(3, {}, {}, &lastWeights, false).reason), "completed");
        options.resumeFrom = copy;
        options.outputDirectory = folder + "/control-intact";
        GraphModel intact = nullptr;
        QCOMPARE(toString(train(99, options, {}, &intact, false).reason), "completed");
        QVERIFY(sameWeights(lastWeights, intact));
        dropOptimizerState(copy);
        options.outputDirectory = folder + "/control";
        GraphModel control = nullptr;
        QCOMPARE(toString(train(99, options, {}, &control, false).reason), "completed");
        QVERIFY(!sameWeights(lastWeights, control));
    }

    void checkpointOfAnotherGraphIsRefused()
    {
        const std::string folder = netdraft::tests::freshFolder("checkpoint-graph");
        GraphModel model = buildModel(smallClassifier(), 1);
        saveWeights(folder + "/weights.pt", *model, graphHash);
        const std::string otherHash = graphFingerprint(smallClassifier(64));
        QVERIFY(otherHash != graphHash);
        const Checkpoint checkpoint = Checkpoint::open(folder + "/weights.pt");
        QCOMPARE(checkpoint.graphHash(), graphHash);
        QVERIFY(!checkpoint.canResume());
        try {
            checkpoint.requireGraph(otherHash);
            QFAIL("a checkpoint of another graph was accepted");
        } catch (const Error& error) {
            QVERIFY2(
                std::string(error.what()).find("was written for a different graph") != std::string::npos, error.what());
        }
        GraphModel wider = buildModel(smallClassifier(64), 1);
        try {
            checkpoint.restoreModel(*wider);
            QFAIL("weights of another shape were loaded");
        } catch (const Error& error) {
            QVERIFY2(
                std::string(error.what()).find("tensor 'fc1.weight' has shape [32, 8] but the model expects [64, 8]")
                    != std::string::npos,
                error.what());
        }
    }

    void fingerprintIgnoresLayoutButNotParameters()
    {
        Graph graph = smallClassifier();
        const std::string before = graphFingerprint(graph);
        graph.block("fc1").position = { 400, 300 };
        graph.block("fc1").name = "Hidden layer";
        QCOMPARE(graphFingerprint(graph), before);
        graph.block("fc2").params["bias"] = false;
        QVERIFY(graphFingerprint(graph) != before);
    }

    void weightsRoundTrip()
    {
        const std::string folder = netdraft::tests::freshFolder("checkpoint-weights");
        GraphModel source = buildModel(smallClassifier(), 1);
        GraphModel target = buildModel(smallClassifier(), 2);
        QVERIFY(!sameWeights(source, target));
        saveWeights(folder + "/w.pt", *source, graphHash);
        Checkpoint::open(folder + "/w.pt").restoreModel(*target);
        QVERIFY(sameWeights(source, target));
        // Atomic write: no temporary file is left beside it.
        QCOMPARE(std::distance(std::filesystem::directory_iterator(folder), {}), std::ptrdiff_t(1));
    }

    void damagedFilesAreRefused_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("expected");
        QTest::newRow("half") << "half"
                              << "truncated";
        QTest::newRow("last byte missing") << "minus1"
                                           << "truncated";
        QTest::newRow("first bytes only") << "head"
                                          << "truncated";
        QTest::newRow("empty") << "empty"
                               << "too short";
        QTest::newRow("flipped byte") << "flip"
                                      << "CRC check";
        QTest::newRow("text") << "text"
                              << "no zip end-of-central-directory record";
        QTest::newRow("missing") << "missing"
                                 << "cannot be read";
    }

    void damagedFilesAreRefused()
    {
        QFETCH(QString, damage);
        QFETCH(QString, expected);
        const std::string folder = netdraft::tests::freshFolder("checkpoint-damage");
        const std::string path = folder + "/c.pt";
        GraphModel model = buildModel(smallClassifier(), 1);
        saveWeights(path, *model, graphHash);
        std::string bytes = readBytes(path);
        const std::string kind = damage.toStdString();
        PtArchiveEntry largest;
        for (const PtArchiveEntry& entry : checkPtArchiveFile(path, PtArchiveKind::Pickle).entries)
            if (entry.size > largest.size)
                largest = entry;
        if (kind == "half")
            bytes.resize(bytes.size() / 2);
        else if (kind == "minus1")
            bytes.pop_back();
        else if (kind == "head")
            bytes.resize(10);
        else if (kind == "empty")
            bytes.clear();
        else if (kind == "flip")
            bytes[largest.dataOffset + largest.size / 2] ^= 0x5A; // inside the weights, headers intact
        else if (kind == "text")
            bytes = std::string(200, 'x');
        if (kind == "missing")
            std::filesystem::remove(path);
        else
            writeBytes(path, bytes);
        try {
            Checkpoint::open(path);
            QFAIL("a damaged checkpoint was opened");
        } catch (const Error& error) {
            const std::string message = error.what();
            QVERIFY2(message.find(path) != std::string::npos, error.what());
            QVERIFY2(message.find(expected.toStdString()) != std::string::npos, error.what());
        }
    }
};

NETDRAFT_TEST(CheckpointTest);
#include "CheckpointTest.moc"
