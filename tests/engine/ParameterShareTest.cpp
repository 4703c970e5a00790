// The "one huge layer" warning (engine/insight/ParameterShare): the tutorial CNN without pooling,
// Flatten → Linear with in_features auto, gets a warning (not an error) on the Linear, whose figures
// match plain LibTorch modules; the network still compiles and trains. With pooling, or when the big
// layer is not fed a flattened map, there is no warning.

#include "engine/insight/ParameterShare.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/insight/NetworkCost.h"
#include "engine/model/GraphModel.h"
#include "engine/project/Project.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <torch/torch.h>

using namespace netdraft::engine;

namespace {

int64_t parametersOf(const torch::nn::Module& module)
{
    int64_t count = 0;
    for (const torch::Tensor& parameter : module.parameters())
        count += parameter.numel();
    return count;
}

/// The tutorial CNN: three padded 3×3 convolutions with ReLUs, Flatten, Linear(10) with in_features
/// auto; with or without a MaxPool2d after each ReLU.
Project tutorialCnn(bool withPooling)
{
    Project project;
    project.name = "tutorial";
    project.graph = netdraft::tests::classicCnn(withPooling);
    project.graph.block("fc").params["in_features"] = Auto {};
    return project;
}

} // namespace

class ParameterShareTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void withoutPoolingTheLinearIsWarnedOf()
    {
        const Project project = tutorialCnn(false);
        const CompiledNetwork network = CompiledNetwork::compile(project); // no error: it may train
        for (const Problem& problem : network.inference().problems())
            QVERIFY2(!problem.isError(), problem.toString().c_str());

        // Reference figures from plain LibTorch modules.
        const int64_t fc = parametersOf(*torch::nn::Linear(131072, 10));
        const int64_t conv1 = parametersOf(*torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 32, 3)));
        const int64_t conv2 = parametersOf(*torch::nn::Conv2d(torch::nn::Conv2dOptions(32, 64, 3)));
        const int64_t conv3 = parametersOf(*torch::nn::Conv2d(torch::nn::Conv2dOptions(64, 128, 3)));
        QCOMPARE(fc, int64_t(1310730));
        const NetworkCost cost = costOf(network);
        QCOMPARE(cost.totalParameters(), fc + conv1 + conv2 + conv3); // 1,403,978

        QCOMPARE(cost.warnings.size(), size_t(1));
        const Problem& warning = cost.warnings.front();
        QCOMPARE(warning.severity, Problem::Severity::Warning);
        QVERIFY(!warning.isError());
        QCOMPARE(warning.blockId, std::string("fc"));
        QCOMPARE(warning.toString(),
            std::string("block fc: this Linear holds 1.31 M of the network's 1.40 M parameters (93 %) because it "
                        "receives 131072 flattened features (128×32×32): add pooling (MaxPool2d or "
                        "AdaptiveAvgPool2d) before the Flatten to shrink the feature map"));
        QCOMPARE(formatCount(fc), std::string("1.31 M"));
        QCOMPARE(formatCount(fc + conv1 + conv2 + conv3), std::string("1.40 M"));

        // Still trainable: one SGD step on a small batch changes the Linear's weights.
        torch::manual_seed(3);
        GraphModel model = buildModel(network);
        QCOMPARE(model->totalParameters(), cost.totalParameters());
        torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));
        const torch::Tensor before = model->blockModule("fc")->parameters().front().clone();
        const torch::Tensor output = model->forward(torch::randn({ 2, 3, 32, 32 }));
        QCOMPARE(output.sizes().vec(), (std::vector<int64_t> { 2, 10 }));
        torch::nn::functional::cross_entropy(output, torch::tensor({ 1, 7 })).backward();
        optimizer.step();
        QVERIFY(!torch::equal(before, model->blockModule("fc")->parameters().front()));
    }

    void poolingRemovesTheWarning()
    {
        const NetworkCost cost = costOf(CompiledNetwork::compile(tutorialCnn(true)));
        // 128×4×4 = 2048 features: the Linear has 20,490 parameters of 113,738.
        QCOMPARE(cost.totalParameters(), int64_t(113738));
        QVERIFY(cost.warnings.empty());
    }

    void flattenedThroughShapeKeepingLayers()
    {
        // Flatten → Dropout → ReLU → Linear: the flattened map is found through the shape-keeping layers.
        const Graph graph = GraphBuilder()
                                .input({ 64, 64, 64 })
                                .then("Flatten", {}, "flatten")
                                .then("Dropout", {}, "drop")
                                .then("ReLU", {}, "relu")
                                .then("Linear", { { "out_features", int64_t(16) } }, "fc")
                                .output()
                                .graph();
        const NetworkCost cost = costOf(CompiledNetwork::compile(graph));
        QCOMPARE(cost.warnings.size(), size_t(1));
        QVERIFY2(cost.warnings.front().message.find("262144 flattened features (64×64×64)") != std::string::npos,
            cost.warnings.front().message.c_str());
    }

    void thresholds_data()
    {
        QTest::addColumn<int64_t>("features");
        QTest::addColumn<int64_t>("hidden");
        QTest::addColumn<bool>("flatten");
        QTest::addColumn<bool>("warned");
        // Linear(64·64·64 → 16): 4.19 M of 4.19 M.
        QTest::newRow("huge flattened input") << int64_t(64) << int64_t(0) << true << true;
        // Linear(16·16·16 → 16): 65,552 parameters, all of them but below a million.
        QTest::newRow("small network") << int64_t(16) << int64_t(0) << true << false;
        // Linear(4096 → 256) then Linear(256 → 8192): the second holds more, so the first is under half.
        QTest::newRow("not the larger part") << int64_t(16) << int64_t(8192) << true << false;
        // The same huge Linear, fed a vector Input that was never flattened.
        QTest::newRow("not flattened") << int64_t(64) << int64_t(0) << false << false;
    }

    void thresholds()
    {
        QFETCH(int64_t, features);
        QFETCH(int64_t, hidden);
        QFETCH(bool, flatten);
        QFETCH(bool, warned);
        GraphBuilder builder;
        if (flatten)
            builder.input({ features, features, features }).then("Flatten", {}, "flatten");
        else
            builder.input({ features * features * features });
        builder.then("Linear", { { "out_features", hidden > 0 ? int64_t(256) : int64_t(16) } }, "fc");
        if (hidden > 0)
            builder.then("Linear", { { "out_features", hidden } }, "fc2");
        const NetworkCost cost = costOf(CompiledNetwork::compile(builder.output().graph()));
        QCOMPARE(!cost.warnings.empty(), warned);
        if (warned)
            QCOMPARE(cost.warnings.front().blockId, std::string("fc"));
    }

    void limitsAreParameters()
    {
        // The same network warned of with a lower minimum, and not with a higher share.
        const CompiledNetwork network = CompiledNetwork::compile(tutorialCnn(true));
        const NetworkCost cost = costOf(network);
        QVERIFY(parameterShareWarnings(network, cost, { 0.5, 1'000'000 }).empty());
        QVERIFY(parameterShareWarnings(network, cost, { 0.5, 1000 }).empty()); // 18 %: not most
        QCOMPARE(parameterShareWarnings(network, cost, { 0.1, 1000 }).size(), size_t(1));
        const CompiledNetwork naive = CompiledNetwork::compile(tutorialCnn(false));
        QVERIFY(parameterShareWarnings(naive, costOf(naive), { 0.95, 1'000'000 }).empty()); // 93 %
    }
};

NETDRAFT_TEST(ParameterShareTest);
#include "ParameterShareTest.moc"
