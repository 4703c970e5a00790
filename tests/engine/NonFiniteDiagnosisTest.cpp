// Why a run failed: when the loss or a gradient stops being finite, the failing batch runs again with
// checks after each block and the first block to give NaN or inf is named, with its input range, in the
// run's message and as a structured finding. Checked on a Divide block fed a crafted denominator.

#include <torch/torch.h>

#include "engine/graph/GraphBuilder.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/NonFiniteDiagnosis.h"
#include "engine/train/Trainer.h"
#include "tests/engine/TrainingFixtures.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <regex>

using namespace netdraft::engine;
using netdraft::tests::blobs;
using netdraft::tests::quickSettings;

namespace {

/// Input(8) → fc_a, fc_b (Linear 8→3 each) → Ratio (Divide, id div: fc_a / fc_b) → Output.
Graph ratioGraph()
{
    GraphBuilder builder;
    builder.input({ 8 })
        .then("Linear", { { "out_features", int64_t(3) } }, "fc_a")
        .add("Linear", { { "out_features", int64_t(3) } }, "fc_b")
        .connect("input", "fc_b")
        .add("Divide", {}, "div")
        .connect("fc_a", "div", "in1")
        .connect("fc_b", "div", "in2")
        .from("div")
        .output();
    Graph graph = builder.graph();
    graph.block("div").name = "Ratio";
    return graph;
}

torch::nn::Linear ratioLinear(const GraphModel& model, const std::string& id)
{
    return torch::nn::Linear(std::dynamic_pointer_cast<torch::nn::LinearImpl>(model->blockModule(id)));
}

/// The ratio network with fc_b's weight zero and its bias `denominator`: every fc_b output equals it.
/// With `zeroNumerator` fc_a gives zeros too.
GraphModel craftedModel(const CompiledNetwork& network, double denominator, bool zeroNumerator = false)
{
    GraphModel model = buildModel(network, 3);
    torch::NoGradGuard noGrad;
    torch::nn::Linear b = ratioLinear(model, "fc_b");
    b->weight.zero_();
    b->bias.fill_(denominator);
    if (zeroNumerator) {
        ratioLinear(model, "fc_a")->weight.zero_();
        ratioLinear(model, "fc_a")->bias.zero_();
    }
    return model;
}

TrainingResult trainRatio(const CompiledNetwork& network, GraphModel model)
{
    TrainerOptions options;
    options.prefetch = false;
    options.blockNames = RunBlockNames::of(network);
    Trainer trainer(model, blobs(64), quickSettings(), options);
    return trainer.run();
}

/// The range of fc_a's and fc_b's outputs together on `inputs`, computed with plain LibTorch.
std::pair<double, double> divideInputRange(const GraphModel& model, const torch::Tensor& inputs)
{
    torch::NoGradGuard noGrad;
    const auto a = ratioLinear(model, "fc_a");
    const auto b = ratioLinear(model, "fc_b");
    const torch::Tensor both = torch::cat({ torch::addmm(a->bias, inputs, a->weight.t()).flatten(),
        torch::addmm(b->bias, inputs, b->weight.t()).flatten() });
    return { both.min().item<double>(), both.max().item<double>() };
}

std::string rangeText(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

} // namespace

namespace {

/// The diagnosis of `data`'s training batch through `model`, with blocks named as the trainer names them.
std::optional<NonFiniteFinding> diagnoseNamed(
    const CompiledNetwork& network, GraphModel& model, const PreparedData& data)
{
    DiagnosisOptions options;
    options.names = RunBlockNames::of(network);
    return diagnoseNonFinite(*model, LossFunction("cross_entropy"), data.train.inputs, data.train.targets, options);
}

} // namespace

class NonFiniteDiagnosisTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { torch::set_num_threads(1); }

    void divisionByZeroIsNamedInForward_data()
    {
        QTest::addColumn<bool>("zeroNumerator");
        QTest::addColumn<QString>("value");
        QTest::newRow("x / 0") << false << "infinite";
        QTest::newRow("0 / 0") << true << "NaN";
    }

    void divisionByZeroIsNamedInForward()
    {
        QFETCH(bool, zeroNumerator);
        QFETCH(QString, value);
        const CompiledNetwork network = CompiledNetwork::compile(ratioGraph());
        const TrainingResult result = trainRatio(network, craftedModel(network, 0.0, zeroNumerator));
        QCOMPARE(toString(result.reason), "nan");
        const std::regex expected("loss became NaN at epoch 1, batch 1: block Ratio \\(div\\): output became "
            + value.toStdString()
            + " in forward; its input ranged -?[0-9.e+-]+ … [0-9.e+-]+; lower the learning rate or turn on "
              "gradient clipping");
        QVERIFY2(std::regex_match(result.message, expected), result.message.c_str());
        qInfo("%s", result.message.c_str());
        QVERIFY(result.nonFinite.has_value());
        QCOMPARE(result.nonFinite->blockId, std::string("div"));
        QCOMPARE(result.nonFinite->canvasBlockId, std::string("div"));
        QCOMPARE(result.nonFinite->blockLabel, std::string("Ratio (div)"));
        QCOMPARE(result.nonFinite->phase, std::string("forward"));
        QCOMPARE(QString::fromStdString(result.nonFinite->value), value);
    }

    void forwardFindingGivesTheBlocksInputRange()
    {
        const CompiledNetwork network = CompiledNetwork::compile(ratioGraph());
        GraphModel model = craftedModel(network, 0.0);
        const PreparedData data = blobs(64);
        const auto finding = diagnoseNamed(network, model, data);
        QVERIFY(finding.has_value());
        QCOMPARE(finding->blockId, std::string("div"));
        const auto [low, high] = divideInputRange(model, data.train.inputs);
        QVERIFY(low < 0 && high > 0); // fc_b's zeros lie inside fc_a's range
        QCOMPARE(*finding->inputMin, low);
        QCOMPARE(*finding->inputMax, high);
        QVERIFY(finding->inputFinite);
        QCOMPARE(finding->message(),
            "block Ratio (div): output became infinite in forward; its input ranged " + rangeText(low) + " … "
                + rangeText(high));
        // The parameters' gradients are left alone.
        for (const torch::Tensor& parameter : model->parameters())
            QVERIFY(!parameter.grad().defined());
    }

    void tinyDenominatorIsNamedInBackward()
    {
        // fc_b gives 1e-30: a / 1e-30 stays finite (|a| < 10), the loss too, but the gradient towards
        // the denominator, -g a / b², overflows: the Divide block passes it on, although the gradient
        // reaching its output is finite. The trainer skips that step and stops.
        const CompiledNetwork network = CompiledNetwork::compile(ratioGraph());
        const TrainingResult result = trainRatio(network, craftedModel(network, 1e-30));
        QCOMPARE(toString(result.reason), "nan");
        const std::regex expected("a gradient became (NaN|infinite) at epoch 1, batch 1: block Ratio \\(div\\): "
                                  "gradient became (NaN|infinite) in backward; its input ranged -?[0-9.e+-]+ … "
                                  "[0-9.e+-]+; lower the learning rate or turn on gradient clipping");
        QVERIFY2(std::regex_match(result.message, expected), result.message.c_str());
        qInfo("%s", result.message.c_str());
        QVERIFY(result.nonFinite.has_value());
        QCOMPARE(result.nonFinite->blockId, std::string("div"));
        QCOMPARE(result.nonFinite->phase, std::string("backward"));

        // The skipped step left the weights finite.
        GraphModel model = craftedModel(network, 1e-30);
        const PreparedData data = blobs(64);
        const auto finding = diagnoseNamed(network, model, data);
        QVERIFY(finding.has_value());
        QCOMPARE(finding->blockId, std::string("div"));
        QCOMPARE(finding->phase, std::string("backward"));
        const auto [low, high] = divideInputRange(model, data.train.inputs);
        QCOMPARE(*finding->inputMin, low);
        QCOMPARE(*finding->inputMax, high);
    }

    void healthyBatchHasNoFinding()
    {
        const CompiledNetwork network = CompiledNetwork::compile(ratioGraph());
        GraphModel model = craftedModel(network, 1.0);
        const PreparedData data = blobs(64);
        const auto finding = diagnoseNonFinite(
            *model, LossFunction("cross_entropy"), data.train.inputs, data.train.targets, DiagnosisOptions {});
        QVERIFY(!finding.has_value());
        // The diagnosis detaches its watcher: a later forward pass runs unwatched.
        QVERIFY(torch::isfinite(model->forward(data.train.inputs)).all().item<bool>());
    }

    void nanInTheDataNamesTheInputBlock()
    {
        const CompiledNetwork network = CompiledNetwork::compile(ratioGraph());
        GraphModel model = craftedModel(network, 1.0);
        PreparedData data = blobs(64);
        data.train.inputs[3][2] = std::numeric_limits<float>::quiet_NaN();
        const auto finding = diagnoseNamed(network, model, data);
        QVERIFY(finding.has_value());
        QCOMPARE(finding->blockId, std::string("input"));
        QCOMPARE(finding->message(),
            std::string("block input: output became NaN in forward (the batch's data holds NaN values)"));
    }

    void blockNamesComeFromTheNetwork()
    {
        const CompiledNetwork network = CompiledNetwork::compile(ratioGraph());
        const RunBlockNames names = RunBlockNames::of(network);
        QCOMPARE(names.find("div").canvasId, std::string("div"));
        QCOMPARE(names.find("div").type, std::string("Divide"));
        QCOMPARE(names.find("div").label, std::string("Ratio (div)"));
        QCOMPARE(names.find("fc_a").label, std::string("fc_a"));
        QCOMPARE(names.find("nowhere").canvasId, std::string("nowhere")); // unknown: the id stands in
    }
};

NETDRAFT_TEST(NonFiniteDiagnosisTest);
#include "NonFiniteDiagnosisTest.moc"
