// State dicts written with pickle_save come back unchanged; mismatches are listed in full and
// never leave a model half loaded.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/io/StateDict.h"
#include "engine/train/WeightsImport.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/train/Checkpoint.h"
#include "tests/engine/ExportTestGraphs.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

using namespace netdraft::engine;

namespace {

bool sameState(const torch::nn::Module& a, const torch::nn::Module& b)
{
    const NamedTensors left = namedState(a);
    const NamedTensors right = namedState(b);
    if (left.size() != right.size())
        return false;
    for (size_t i = 0; i < left.size(); ++i)
        if (left[i].first != right[i].first || !torch::equal(left[i].second, right[i].second))
            return false;
    return true;
}

/// The classic CNN with conv1 renamed to "first" and a 7-class head.
Graph alteredCnn()
{
    Graph graph = netdraft::tests::classicCnn(true);
    graph.renameBlock("conv1", "first");
    graph.block("fc").params["out_features"] = int64_t(7);
    return graph;
}

} // namespace

class WeightsExportTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;
    std::string path(const char* name) const { return folder_.filePath(name).toStdString(); }

private Q_SLOTS:
    void stateDictRoundTrip()
    {
        const Graph graph = netdraft::tests::residualBlock();
        GraphModel source = netdraft::tests::trainedLikeModel(graph, 1);
        GraphModel target = buildModel(graph, 2);
        QVERIFY(!sameState(*source, *target));
        exportStateDict(*source, path("weights.pt"));
        importWeightsFile(*target, path("weights.pt"));
        QVERIFY(sameState(*source, *target));
        // Buffers travel too: batch-norm statistics and the batch counter.
        const NamedTensors read = readTensorDictFile(path("weights.pt"));
        std::vector<std::string> names;
        for (const auto& item : read)
            names.push_back(item.first);
        QVERIFY(std::find(names.begin(), names.end(), "bn_a.running_mean") != names.end());
        QVERIFY(std::find(names.begin(), names.end(), "bn_a.num_batches_tracked") != names.end());
        QVERIFY(std::find(names.begin(), names.end(), "conv_a.weight") != names.end());
        torch::NoGradGuard noGrad;
        source->eval();
        target->eval();
        torch::Tensor input = torch::randn({3, 4, 8, 8});
        QVERIFY(torch::equal(source->forward(input), target->forward(input)));
    }

    void namesAreModelStateDictNames()
    {
        GraphModel model = buildModel(netdraft::tests::classicCnn(true));
        const NamedTensors read = readTensorDict(tensorDictArchive(namedState(*model)), "memory");
        std::vector<std::string> names;
        for (const auto& item : read)
            names.push_back(item.first);
        QCOMPARE(names, (std::vector<std::string>{"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                                                  "conv3.weight", "conv3.bias", "fc.weight", "fc.bias"}));
    }

    void mismatchListsEveryDifference()
    {
        GraphModel source = buildModel(netdraft::tests::classicCnn(true), 1);
        GraphModel target = buildModel(alteredCnn(), 2);
        const WeightsMismatch mismatch = compareWeights(*target, namedState(*source));
        QCOMPARE(mismatch.missing, (std::vector<std::string>{"first.bias (32)", "first.weight (32×3×3×3)"}));
        QCOMPARE(mismatch.unexpected, (std::vector<std::string>{"conv1.bias (32)", "conv1.weight (32×3×3×3)"}));
        QCOMPARE(mismatch.wrongShape,
                 (std::vector<std::string>{"fc.bias: file 10, model 7", "fc.weight: file 10×2048, model 7×2048"}));
    }

    void nothingIsHalfLoaded()
    {
        GraphModel source = buildModel(netdraft::tests::classicCnn(true), 1);
        exportStateDict(*source, path("cnn.pt"));
        GraphModel target = buildModel(alteredCnn(), 2);
        GraphModel untouched = buildModel(alteredCnn(), 2);
        try {
            importWeightsFile(*target, path("cnn.pt"));
            QFAIL("mismatching weights were loaded");
        } catch (const Error& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("nothing was loaded") != std::string::npos, message.c_str());
            QVERIFY2(message.find("first.weight") != std::string::npos, message.c_str());
            QVERIFY2(message.find("conv1.weight") != std::string::npos, message.c_str());
            QVERIFY2(message.find("fc.weight: file 10×2048, model 7×2048") != std::string::npos, message.c_str());
        }
        // conv2 and conv3 match by name and shape, yet must not have been copied.
        QVERIFY(sameState(*target, *untouched));
    }

    void importsNetdraftCheckpoint()
    {
        const Graph graph = netdraft::tests::classicCnn(true);
        GraphModel source = buildModel(graph, 1);
        saveWeights(path("final.ndw"), *source, "test-hash");
        GraphModel target = buildModel(graph, 2);
        importWeightsFile(*target, path("final.ndw"));
        QVERIFY(sameState(*source, *target));

        GraphModel other = buildModel(alteredCnn(), 3);
        GraphModel otherBefore = buildModel(alteredCnn(), 3);
        QVERIFY_EXCEPTION_THROWN(importWeightsFile(*other, path("final.ndw")), Error);
        QVERIFY(sameState(*other, *otherBefore));
    }

    void missingFileNamesThePath()
    {
        GraphModel model = buildModel(netdraft::tests::classicCnn(true));
        try {
            importWeightsFile(*model, path("absent.pt"));
            QFAIL("a missing file was imported");
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("absent.pt") != std::string::npos);
        }
    }
};

NETDRAFT_TEST(WeightsExportTest);
#include "WeightsExportTest.moc"
