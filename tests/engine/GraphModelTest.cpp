// The model built from a graph equals a hand-written LibTorch module with the same weights.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/model/GraphModel.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

namespace {

/// The corrected classic CNN written by hand in LibTorch.
struct ReferenceCnn : torch::nn::Module {
    torch::nn::Conv2d conv1{torch::nn::Conv2dOptions(3, 32, 3).padding(1)};
    torch::nn::Conv2d conv2{torch::nn::Conv2dOptions(32, 64, 3).padding(1)};
    torch::nn::Conv2d conv3{torch::nn::Conv2dOptions(64, 128, 3).padding(1)};
    torch::nn::Linear fc{2048, 10};
    ReferenceCnn()
    {
        register_module("conv1", conv1);
        register_module("conv2", conv2);
        register_module("conv3", conv3);
        register_module("fc", fc);
    }
    torch::Tensor forward(torch::Tensor x)
    {
        x = torch::max_pool2d(torch::relu(conv1(x)), 2);
        x = torch::max_pool2d(torch::relu(conv2(x)), 2);
        x = torch::max_pool2d(torch::relu(conv3(x)), 2);
        return fc(x.flatten(1));
    }
};

void copyParameters(torch::nn::Module& from, torch::nn::Module& to)
{
    torch::NoGradGuard noGrad;
    auto source = from.named_parameters();
    for (auto& item : to.named_parameters())
        item.value().copy_(source[item.key()]);
}

} // namespace

class GraphModelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void classicCnnMatchesHandWrittenModule()
    {
        GraphModel model = buildModel(netdraft::tests::classicCnn(true), 7);
        ReferenceCnn reference;
        QCOMPARE(model->named_parameters().size(), reference.named_parameters().size());
        copyParameters(*model, reference);
        torch::manual_seed(1);
        torch::Tensor input = torch::randn({4, 3, 32, 32});
        torch::Tensor ours = model->forward(input);
        torch::Tensor theirs = reference.forward(input);
        QCOMPARE(ours.sizes().vec(), (std::vector<int64_t>{4, 10}));
        QVERIFY(torch::allclose(ours, theirs, 1e-5, 1e-6));
    }

    void parameterNamesAreBlockIds()
    {
        GraphModel model = buildModel(netdraft::tests::classicCnn(true));
        auto names = model->named_parameters().keys();
        QVERIFY(std::find(names.begin(), names.end(), "conv1.weight") != names.end());
        QVERIFY(std::find(names.begin(), names.end(), "fc.bias") != names.end());
        QCOMPARE(model->parameterCounts().at("conv1"), int64_t(3 * 32 * 9 + 32));
        QCOMPARE(model->totalParameters(), int64_t((3 * 32 * 9 + 32) + (32 * 64 * 9 + 64) + (64 * 128 * 9 + 128) + 2048 * 10 + 10));
    }

    void initialisationIsSeededPerBlock()
    {
        GraphModel a = buildModel(netdraft::tests::classicCnn(true), 3);
        GraphModel b = buildModel(netdraft::tests::classicCnn(true), 3);
        GraphModel c = buildModel(netdraft::tests::classicCnn(true), 4);
        QVERIFY(torch::equal(a->named_parameters()["conv2.weight"], b->named_parameters()["conv2.weight"]));
        QVERIFY(!torch::equal(a->named_parameters()["conv2.weight"], c->named_parameters()["conv2.weight"]));
    }

    void refusesGraphWithErrors()
    {
        try {
            buildModel(netdraft::tests::classicCnn(false));
            QFAIL("a graph with errors was built");
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("block fc: Linear expects 128") != std::string::npos);
        }
    }
};

NETDRAFT_TEST(GraphModelTest);
#include "GraphModelTest.moc"
