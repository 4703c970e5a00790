// The ChannelAffine block: x · scale[c] + shift[c] over dimension 1, with each part learned (a
// parameter) or fixed (a buffer), against the formula written out in plain LibTorch; its TorchScript
// export with weights away from 1 and 0; its errors by message.

#include <torch/script.h>
#include <torch/torch.h>

#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "engine/layers/BuiltBlock.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/model/GraphModel.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

namespace {

GraphModel channelAffineModel(const IntList& shape, const ParamMap& params)
{
    GraphBuilder builder;
    builder.input(shape).then("ChannelAffine", params, "affine").output("regression");
    return buildModel(builder.graph(), 4);
}

/// The block's scale and shift set to random values (whether they are parameters or buffers).
std::pair<torch::Tensor, torch::Tensor> randomizeAffine(torch::nn::Module& model, int64_t channels)
{
    torch::NoGradGuard noGrad;
    torch::manual_seed(9);
    const torch::Tensor scale = torch::rand({ channels }) + 0.5;
    const torch::Tensor shift = torch::randn({ channels });
    auto state = model.named_parameters();
    auto buffers = model.named_buffers();
    for (const auto& [name, value] : { std::pair("affine.scale", scale), std::pair("affine.shift", shift) }) {
        torch::Tensor* target = state.find(name);
        if (!target)
            target = buffers.find(name);
        if (!target)
            throw std::runtime_error(std::string("no ") + name);
        target->copy_(value);
    }
    return { scale, shift };
}

/// The problems of Input(shape) → [Select index 0 when `select`] → ChannelAffine(params).
std::vector<std::string> problemsOf(const IntList& shape, const ParamMap& params, bool select = false)
{
    GraphBuilder builder;
    builder.input(shape);
    if (select)
        builder.then("Select", { { "index", int64_t(0) } }, "select");
    builder.then("ChannelAffine", params, "affine").output("regression");
    std::vector<std::string> messages;
    for (const Problem& problem : inferShapes(builder.graph()).problems())
        messages.push_back(problem.message);
    return messages;
}

} // namespace

class ChannelAffineTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void equalsTheFormula_data()
    {
        QTest::addColumn<IntList>("shape");
        QTest::addColumn<IntList>("view"); // scale and shift reshaped to broadcast by hand
        QTest::newRow("N×C×H×W") << IntList { 4, 5, 3 } << IntList { 1, 4, 1, 1 };
        QTest::newRow("N×C") << IntList { 6 } << IntList { 1, 6 };
        QTest::newRow("N×C×L") << IntList { 3, 7 } << IntList { 1, 3, 1 };
    }
    void equalsTheFormula()
    {
        QFETCH(IntList, shape);
        QFETCH(IntList, view);
        GraphModel model = channelAffineModel(shape, {});
        const auto [scale, shift] = randomizeAffine(*model, shape.front());
        std::vector<int64_t> batch { 5 };
        batch.insert(batch.end(), shape.begin(), shape.end());
        const torch::Tensor input = torch::randn(batch);
        torch::Tensor expected = torch::empty_like(input);
        for (int64_t c = 0; c < shape.front(); ++c) // channel by channel, no broadcasting
            expected.select(1, c).copy_(input.select(1, c) * scale[c].item<float>() + shift[c].item<float>());
        torch::NoGradGuard noGrad;
        QVERIFY(torch::allclose(model->forward(input), expected, 1e-6, 1e-6));
        QVERIFY(torch::allclose(model->forward(input), input * scale.view(view) + shift.view(view), 1e-6, 1e-6));
    }

    void startsAsIdentity()
    {
        GraphModel model = channelAffineModel({ 3, 4, 4 }, {});
        const torch::Tensor input = torch::randn({ 2, 3, 4, 4 });
        torch::NoGradGuard noGrad;
        QVERIFY(torch::equal(model->forward(input), input));
    }

    void fixedPartsAreBuffers_data()
    {
        QTest::addColumn<bool>("learnScale");
        QTest::addColumn<bool>("learnShift");
        QTest::newRow("both learned") << true << true;
        QTest::newRow("scale fixed") << false << true;
        QTest::newRow("shift fixed") << true << false;
        QTest::newRow("both fixed") << false << false;
    }
    void fixedPartsAreBuffers()
    {
        QFETCH(bool, learnScale);
        QFETCH(bool, learnShift);
        GraphModel model
            = channelAffineModel({ 5, 2, 2 }, { { "learn_scale", learnScale }, { "learn_shift", learnShift } });
        const auto parameters = model->named_parameters();
        const auto buffers = model->named_buffers();
        QCOMPARE(parameters.contains("affine.scale"), learnScale);
        QCOMPARE(buffers.contains("affine.scale"), !learnScale);
        QCOMPARE(parameters.contains("affine.shift"), learnShift);
        QCOMPARE(buffers.contains("affine.shift"), !learnShift);
        // A learned part gets a gradient (nothing to differentiate when both are fixed).
        const torch::Tensor loss = model->forward(torch::randn({ 2, 5, 2, 2 })).pow(2).sum();
        QCOMPARE(loss.requires_grad(), learnScale || learnShift);
        if (!loss.requires_grad())
            return;
        loss.backward();
        for (const auto& parameter : parameters)
            QVERIFY(parameter.value().grad().defined() && parameter.value().grad().abs().sum().item<double>() > 0);
    }

    void torchScriptExportEqualsTheModule()
    {
        const LayerType* type = LayerRegistry::instance().find("ChannelAffine");
        for (const IntList& shape : { IntList { 4, 5, 3 }, IntList { 6 } }) {
            GraphBuilder builder;
            builder.input(shape).then("ChannelAffine", { { "learn_shift", false } }, "affine").output("regression");
            const InferenceResult inference = inferShapes(builder.graph());
            const BlockInference& info = inference.blocks.at("affine");
            const BuildContext context { ParamReader(type->description(), info.params), info.inputs, *info.output };
            BuiltBlock built = type->build(context);
            torch::NoGradGuard noGrad;
            for (auto& tensor : built.module->named_parameters())
                tensor.value().copy_(torch::rand_like(tensor.value()) + 0.5);
            for (auto& tensor : built.module->named_buffers())
                tensor.value().copy_(torch::randn_like(tensor.value()));
            torch::jit::Module script("ChannelAffineUnderTest");
            script.register_parameter("scale", built.module->named_parameters()["scale"], false);
            script.register_buffer("shift", built.module->named_buffers()["shift"]);
            script.define("def forward(self, x0):\n    " + *type->torchScriptBody(context) + "\n");
            std::vector<int64_t> batch { 3 };
            batch.insert(batch.end(), shape.begin(), shape.end());
            const torch::Tensor input = torch::randn(batch);
            const torch::Tensor expected = built.forward({ input });
            QVERIFY(!torch::allclose(expected, input)); // not the identity it starts as
            QVERIFY(torch::allclose(script.forward({ input }).toTensor(), expected, 1e-6, 1e-6));
        }
        GraphBuilder builder;
        builder.input({ 4, 5, 3 }).then("ChannelAffine", {}, "affine").output("regression");
        const InferenceResult inference = inferShapes(builder.graph());
        const BlockInference& info = inference.blocks.at("affine");
        const BuildContext context { ParamReader(type->description(), info.params), info.inputs, *info.output };
        QCOMPARE(*type->torchScriptBody(context),
            std::string("return x0 * self.scale.view([4, 1, 1]) + self.shift.view([4, 1, 1])"));
        const PythonCode code = *type->pythonCode(context, "norm", { "x" });
        QCOMPARE(code.constructor, std::string("ChannelAffine(4, learn_scale=True, learn_shift=True)"));
        QCOMPARE(code.forward, std::string("self.norm(x)"));
    }

    void errorsByMessage()
    {
        QCOMPARE(problemsOf({ 3, 4, 4 }, { { "channels", int64_t(5) } }),
            std::vector<std::string> { "ChannelAffine expects 5 channels but receives 3" });
        QCOMPARE(problemsOf({ 6 }, {}, true), std::vector<std::string> { "ChannelAffine expects at least N×C, got N" });
        QVERIFY(problemsOf({ 6 }, {}).empty());
    }
};

NETDRAFT_TEST(ChannelAffineTest);
#include "ChannelAffineTest.moc"
