// Models built from graphs of the new layers equal hand-written LibTorch modules on the same weights.

#include <torch/torch.h>

#include "engine/graph/GraphBuilder.h"
#include "engine/model/GraphModel.h"
#include "tests/engine/AttentionMaskFixtures.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <cmath>
#include <limits>

#include <functional>

using namespace netdraft::engine;
using netdraft::tests::evalModelWithBiases;
using torch::indexing::Slice;

Q_DECLARE_METATYPE(netdraft::engine::IntList)
Q_DECLARE_METATYPE(netdraft::engine::ParamMap)

namespace {

/// Copies every parameter and buffer of `from` into the same-named one of `to`; both must hold the same names.
void copyState(torch::nn::Module& from, torch::nn::Module& to)
{
    torch::NoGradGuard noGrad;
    auto parameters = from.named_parameters();
    auto buffers = from.named_buffers();
    QCOMPARE(to.named_parameters().size(), parameters.size());
    QCOMPARE(to.named_buffers().size(), buffers.size());
    for (auto& item : to.named_parameters()) {
        QVERIFY2(parameters.contains(item.key()), item.key().c_str());
        item.value().copy_(parameters[item.key()]);
    }
    for (auto& item : to.named_buffers()) {
        QVERIFY2(buffers.contains(item.key()), item.key().c_str());
        item.value().copy_(buffers[item.key()]);
    }
}

torch::nn::Conv2dOptions conv3x3(int64_t in, int64_t out)
{
    return torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(false);
}

struct ResidualBlock : torch::nn::Module {
    torch::nn::Conv2d conv1 { conv3x3(4, 4) }, conv2 { conv3x3(4, 4) };
    torch::nn::BatchNorm2d bn1 { 4 }, bn2 { 4 };
    ResidualBlock()
    {
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("conv2", conv2);
        register_module("bn2", bn2);
    }
    torch::Tensor forward(const torch::Tensor& x)
    {
        torch::Tensor y = bn2(conv2(torch::relu(bn1(conv1(x)))));
        return torch::relu(y + x);
    }
};

Graph residualGraph()
{
    const ParamMap conv { { "out_channels", int64_t(4) }, { "padding", int64_t(1) }, { "bias", false } };
    GraphBuilder builder;
    builder.input({ 4, 8, 8 })
        .then("Conv2d", conv, "conv1")
        .then("BatchNorm2d", {}, "bn1")
        .then("ReLU", {}, "relu1")
        .then("Conv2d", conv, "conv2")
        .then("BatchNorm2d", {}, "bn2")
        .then("Add", {}, "add")
        .connect("input", "add", "in2")
        .then("ReLU", {}, "relu2")
        .output("regression");
    return builder.graph();
}

/// Embedding → LSTM or GRU (last step) → Linear, written by hand.
template <typename Recurrent, typename Options> struct SequenceClassifier : torch::nn::Module {
    torch::nn::Embedding embed { 30, 8 };
    Recurrent recurrent;
    torch::nn::Linear fc;
    SequenceClassifier(int64_t layers, bool bidirectional)
        : recurrent(Options(8, 16).batch_first(true).num_layers(layers).bidirectional(bidirectional))
        , fc(bidirectional ? 32 : 16, 5)
    {
        register_module("embed", embed);
        register_module("rnn", recurrent);
        register_module("fc", fc);
    }
    torch::Tensor forward(const torch::Tensor& tokens)
    {
        torch::Tensor sequence = std::get<0>(recurrent->forward(embed(tokens)));
        return fc(sequence.index({ Slice(), -1, Slice() }));
    }
};

Graph sequenceClassifierGraph(const std::string& recurrent, int64_t layers, bool bidirectional)
{
    GraphBuilder builder;
    builder.add("Input", { { "shape", IntList { 12 } }, { "dtype", std::string("int64") } }, "input")
        .then("Embedding", { { "num_embeddings", int64_t(30) }, { "embedding_dim", int64_t(8) } }, "embed")
        .then(recurrent,
            { { "hidden_size", int64_t(16) }, { "output", std::string("last") }, { "num_layers", layers },
                { "bidirectional", bidirectional } },
            "rnn")
        .then("Linear", { { "out_features", int64_t(5) } }, "fc")
        .output();
    return builder.graph();
}

template <typename Reference> void checkSequenceClassifier(const Graph& graph, Reference& reference)
{
    GraphModel model = buildModel(graph, 11);
    copyState(*model, reference);
    model->eval();
    reference.eval();
    torch::manual_seed(5);
    const torch::Tensor tokens = torch::randint(0, 30, { 4, 12 }, torch::kLong);
    const torch::Tensor ours = model->forward(tokens);
    QCOMPARE(ours.sizes().vec(), (std::vector<int64_t> { 4, 5 }));
    QVERIFY(torch::allclose(ours, reference.forward(tokens), 1e-5, 1e-6));
}

struct Autoencoder : torch::nn::Module {
    torch::nn::Conv2d enc1 { torch::nn::Conv2dOptions(1, 8, 3).stride(2).padding(1) };
    torch::nn::Conv2d enc2 { torch::nn::Conv2dOptions(8, 16, 3).stride(2).padding(1) };
    torch::nn::ConvTranspose2d dec1 { torch::nn::ConvTranspose2dOptions(16, 8, 3).stride(2).padding(1).output_padding(
        1) };
    torch::nn::ConvTranspose2d dec2 { torch::nn::ConvTranspose2dOptions(8, 1, 2).stride(2) };
    Autoencoder()
    {
        register_module("enc1", enc1);
        register_module("enc2", enc2);
        register_module("dec1", dec1);
        register_module("dec2", dec2);
    }
    torch::Tensor forward(const torch::Tensor& x)
    {
        torch::Tensor code = torch::relu(enc2(torch::relu(enc1(x))));
        return torch::sigmoid(dec2(torch::relu(dec1(code))));
    }
};

/// A model of one `type` block after an Input of `shape` (per sample).
GraphModel singleLayerModel(const std::string& type, const IntList& shape, const ParamMap& params, uint64_t seed)
{
    GraphBuilder builder;
    builder.input(shape).then(type, params, "layer").output("regression");
    return buildModel(builder.graph(), seed);
}

/// The model of one `type` block equals `reference` on a random batch of 3.
void expectSameAsReference(const std::string& type, const IntList& shape, const ParamMap& params,
    const std::function<torch::Tensor(const torch::Tensor&)>& reference)
{
    GraphModel model = singleLayerModel(type, shape, params, 21);
    model->eval();
    torch::manual_seed(6);
    std::vector<int64_t> batch { 3 };
    batch.insert(batch.end(), shape.begin(), shape.end());
    const torch::Tensor input = torch::randn(batch) * 4; // reaches the clamps and thresholds
    torch::NoGradGuard noGrad;
    const torch::Tensor ours = model->forward(input);
    const torch::Tensor expected = reference(input);
    QCOMPARE(ours.sizes().vec(), expected.sizes().vec());
    QVERIFY2(torch::allclose(ours, expected, 1e-5, 1e-6), type.c_str());
}

/// The time-first LibTorch modules (1.13 has no batch_first) applied to batch-first N×T×E tensors.
torch::Tensor timeFirst(const torch::Tensor& x)
{
    return x.transpose(0, 1);
}

/// The float mask LibTorch's attention adds: -inf above the diagonal.
torch::Tensor causalMask(int64_t queries, int64_t keys)
{
    return torch::full({ queries, keys }, -std::numeric_limits<float>::infinity()).triu(1);
}

/// Input → block "attn" of `type`, every other port of the block fed from `memory`: a ClassToken
/// after the input when `longerMemory` (S = T + 1), else the input itself.
GraphModel attentionModel(const std::string& type, const IntList& shape, const ParamMap& params, bool longerMemory)
{
    GraphBuilder builder;
    builder.input(shape);
    std::string memory = "input";
    if (longerMemory) {
        builder.then("ClassToken", {}, "memory");
        memory = "memory";
    }
    const std::string first = type == "TransformerDecoderLayer" ? "tgt"
        : type == "TransformerEncoderLayer"                     ? "in"
                                                                : "query";
    builder.add(type, params, "attn").connect("input", "attn", first);
    if (type == "TransformerDecoderLayer")
        builder.connect(memory, "attn", "memory");
    else if (params.count("self_attention") && !std::get<bool>(params.at("self_attention")))
        builder.connect(memory, "attn", "key").connect(memory, "attn", "value");
    builder.from("attn").output("regression");
    return evalModelWithBiases(builder.graph(), 17); // so that the reference really reads the biases
}

/// The batch-first memory the model's attention reads: the input, or the ClassToken's output.
torch::Tensor memoryOf(GraphModel& model, const torch::Tensor& input, bool longerMemory)
{
    if (!longerMemory)
        return input;
    const torch::Tensor token = model->named_parameters()["memory.token"];
    return torch::cat({ token.expand({ input.size(0), -1, -1 }), input }, 1);
}

} // namespace

class LayerReferenceTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void residualBlockInEvalMode()
    {
        GraphModel model = buildModel(residualGraph(), 3);
        ResidualBlock reference;
        // Move the running statistics off their defaults so that eval mode really uses them.
        {
            torch::NoGradGuard noGrad;
            model->named_buffers()["bn1.running_mean"].uniform_(-0.5, 0.5);
            model->named_buffers()["bn2.running_var"].uniform_(0.5, 2.0);
        }
        copyState(*model, reference);
        model->eval();
        reference.eval();
        torch::manual_seed(1);
        const torch::Tensor input = torch::randn({ 3, 4, 8, 8 });
        const torch::Tensor ours = model->forward(input);
        QCOMPARE(ours.sizes().vec(), input.sizes().vec());
        QVERIFY(torch::allclose(ours, reference.forward(input), 1e-5, 1e-6));
    }

    void residualBlockInTrainModeUpdatesRunningStatistics()
    {
        GraphModel model = buildModel(residualGraph(), 4);
        ResidualBlock reference;
        copyState(*model, reference);
        model->train();
        reference.train();
        torch::manual_seed(2);
        for (int step = 0; step < 2; ++step) {
            const torch::Tensor input = torch::randn({ 5, 4, 8, 8 });
            QVERIFY(torch::allclose(model->forward(input), reference.forward(input), 1e-5, 1e-6));
        }
        auto ours = model->named_buffers();
        for (const auto& item : reference.named_buffers())
            QVERIFY2(torch::allclose(ours[item.key()], item.value(), 1e-5, 1e-6), item.key().c_str());
        QCOMPARE(ours["bn1.num_batches_tracked"].item<int64_t>(), int64_t(2));
        QVERIFY(!torch::allclose(ours["bn1.running_mean"], torch::zeros({ 4 })));
    }

    void lstmClassifier()
    {
        SequenceClassifier<torch::nn::LSTM, torch::nn::LSTMOptions> reference(1, false);
        checkSequenceClassifier(sequenceClassifierGraph("LSTM", 1, false), reference);
    }

    void bidirectionalGruClassifier()
    {
        SequenceClassifier<torch::nn::GRU, torch::nn::GRUOptions> reference(2, true);
        checkSequenceClassifier(sequenceClassifierGraph("GRU", 2, true), reference);
    }

    void convAutoencoderRestoresTheInputSize()
    {
        GraphBuilder builder;
        builder.input({ 1, 16, 16 })
            .then("Conv2d", { { "out_channels", int64_t(8) }, { "stride", int64_t(2) }, { "padding", int64_t(1) } },
                "enc1")
            .then("ReLU")
            .then("Conv2d", { { "out_channels", int64_t(16) }, { "stride", int64_t(2) }, { "padding", int64_t(1) } },
                "enc2")
            .then("ReLU")
            .then("ConvTranspose2d",
                { { "out_channels", int64_t(8) }, { "kernel_size", int64_t(3) }, { "padding", int64_t(1) },
                    { "output_padding", int64_t(1) } },
                "dec1")
            .then("ReLU")
            .then("ConvTranspose2d", { { "out_channels", int64_t(1) } }, "dec2")
            .then("Sigmoid")
            .output("regression");
        GraphModel model = buildModel(builder.graph(), 9);
        Autoencoder reference;
        copyState(*model, reference);
        torch::manual_seed(3);
        const torch::Tensor input = torch::rand({ 2, 1, 16, 16 });
        const torch::Tensor ours = model->forward(input);
        QCOMPARE(ours.sizes().vec(), input.sizes().vec());
        QVERIFY(torch::allclose(ours, reference.forward(input), 1e-5, 1e-6));
    }

    void concatOverChannels()
    {
        GraphBuilder builder;
        builder.input({ 3, 8, 8 })
            .then("Conv2d", { { "out_channels", int64_t(4) }, { "kernel_size", int64_t(1) } }, "narrow")
            .from("input")
            .then("Conv2d", { { "out_channels", int64_t(6) }, { "padding", std::string("same") } }, "wide")
            .then("Concat", {}, "cat")
            .connect("narrow", "cat", "in2")
            .output("regression");
        GraphModel model = buildModel(builder.graph(), 5);
        torch::manual_seed(4);
        const torch::Tensor input = torch::randn({ 2, 3, 8, 8 });
        auto narrow = std::dynamic_pointer_cast<torch::nn::Conv2dImpl>(model->blockModule("narrow"));
        auto wide = std::dynamic_pointer_cast<torch::nn::Conv2dImpl>(model->blockModule("wide"));
        QVERIFY(narrow && wide);
        const torch::Tensor expected = torch::cat({ torch::conv2d(input, wide->weight, wide->bias, 1, 1),
                                                      torch::conv2d(input, narrow->weight, narrow->bias) },
            1);
        const torch::Tensor ours = model->forward(input);
        QCOMPARE(ours.sizes().vec(), (std::vector<int64_t> { 2, 10, 8, 8 }));
        QVERIFY(torch::allclose(ours, expected, 1e-5, 1e-6));
    }

    void activationsEqualTheirFormulas()
    {
        using torch::Tensor;
        expectSameAsReference("ReLU6", { 10 }, {}, [](const Tensor& x) { return torch::clamp(x, 0, 6); });
        expectSameAsReference("Hardtanh", { 10 }, { { "min_val", -0.5 }, { "max_val", 2.0 } },
            [](const Tensor& x) { return torch::clamp(x, -0.5, 2.0); });
        expectSameAsReference("Hardswish", { 10 }, {},
            [](const Tensor& x) { return x * torch::clamp(x + 3, 0, 6) / 6; });
        expectSameAsReference(
            "Hardsigmoid", { 10 }, {}, [](const Tensor& x) { return torch::clamp(x + 3, 0, 6) / 6; });
        expectSameAsReference(
            "Mish", { 10 }, {}, [](const Tensor& x) { return x * torch::tanh(torch::log1p(torch::exp(x))); });
        expectSameAsReference("Softplus", { 10 }, { { "beta", 2.0 }, { "threshold", 3.0 } }, [](const Tensor& x) {
            return torch::where(x * 2 > 3, x, torch::log1p(torch::exp(x * 2)) / 2);
        });
    }

    void preluLearnsOneSlopePerChannel()
    {
        GraphModel model = singleLayerModel("PReLU", { 4, 5, 5 }, { { "num_parameters", int64_t(4) } }, 2);
        torch::nn::PReLU reference(torch::nn::PReLUOptions().num_parameters(4));
        {
            torch::NoGradGuard noGrad;
            model->named_parameters()["layer.weight"].copy_(torch::tensor({ 0.1f, -0.2f, 0.3f, 0.9f }));
        }
        QCOMPARE(model->named_parameters()["layer.weight"].sizes().vec(), (std::vector<int64_t> { 4 }));
        reference->weight = model->named_parameters()["layer.weight"].detach().clone();
        torch::manual_seed(7);
        const torch::Tensor input = torch::randn({ 2, 4, 5, 5 });
        QVERIFY(torch::allclose(model->forward(input), reference->forward(input), 1e-6, 1e-7));
        const torch::Tensor fresh = singleLayerModel("PReLU", { 6 }, { { "init", 0.4 } }, 1)->named_parameters()["layer.weight"];
        QVERIFY(torch::equal(fresh, torch::full({ 1 }, 0.4f)));
    }

    void instanceNormUsesRunningStatisticsInEvalMode()
    {
        GraphModel model = singleLayerModel("InstanceNorm2d", { 3, 6, 6 },
            { { "affine", true }, { "track_running_stats", true }, { "momentum", 0.3 } }, 4);
        torch::nn::InstanceNorm2d reference(
            torch::nn::InstanceNormOptions(3).affine(true).track_running_stats(true).momentum(0.3));
        {
            torch::NoGradGuard noGrad;
            model->named_parameters()["layer.weight"].uniform_(0.5, 1.5);
            model->named_parameters()["layer.bias"].uniform_(-0.5, 0.5);
        }
        reference->weight = model->named_parameters()["layer.weight"].detach().clone();
        reference->bias = model->named_parameters()["layer.bias"].detach().clone();
        torch::manual_seed(8);
        torch::NoGradGuard noGrad;
        model->train();
        reference->train();
        for (int step = 0; step < 2; ++step) {
            const torch::Tensor input = torch::randn({ 4, 3, 6, 6 }) * 2 + 1;
            QVERIFY(torch::allclose(model->forward(input), reference->forward(input), 1e-5, 1e-6));
        }
        QVERIFY(torch::allclose(model->named_buffers()["layer.running_mean"], reference->running_mean, 1e-6, 1e-7));
        QVERIFY(!torch::allclose(reference->running_var, torch::ones({ 3 })));
        model->eval();
        reference->eval();
        const torch::Tensor input = torch::randn({ 2, 3, 6, 6 });
        const torch::Tensor ours = model->forward(input);
        QVERIFY(torch::allclose(ours, reference->forward(input), 1e-5, 1e-6));
        // Eval mode with running statistics is not the per-sample normalisation.
        QVERIFY(!torch::allclose(ours, torch::instance_norm(input, reference->weight, reference->bias, {}, {}, true,
                                           0.1, 1e-5, false),
            1e-3, 1e-3));
    }

    void localResponseNormEqualsLibTorch()
    {
        for (int64_t size : { 2, 3 }) {
            const auto options = torch::nn::LocalResponseNormOptions(size).alpha(0.2).beta(0.6).k(1.5);
            torch::nn::LocalResponseNorm reference(options);
            const ParamMap params { { "size", size }, { "alpha", 0.2 }, { "beta", 0.6 }, { "k", 1.5 } };
            expectSameAsReference("LocalResponseNorm", { 6, 4, 5 }, params,
                [&](const torch::Tensor& x) { return reference->forward(x); });
            expectSameAsReference("LocalResponseNorm", { 6, 7 }, params,
                [&](const torch::Tensor& x) { return reference->forward(x); });
        }
    }

    void depthwiseConv3dEqualsLibTorch()
    {
        const ParamMap params { { "out_channels", int64_t(8) }, { "groups", int64_t(4) }, { "padding", int64_t(1) },
            { "stride", IntList { 1, 2, 2 } } };
        GraphModel model = singleLayerModel("Conv3d", { 4, 5, 6, 6 }, params, 3);
        torch::nn::Conv3d reference(torch::nn::Conv3dOptions(4, 8, 3).groups(4).padding(1).stride({ 1, 2, 2 }));
        copyState(*model->blockModule("layer"), *reference);
        QCOMPARE(reference->weight.sizes().vec(), (std::vector<int64_t> { 8, 1, 3, 3, 3 }));
        torch::manual_seed(9);
        const torch::Tensor input = torch::randn({ 2, 4, 5, 6, 6 });
        QVERIFY(torch::allclose(model->forward(input), reference->forward(input), 1e-5, 1e-6));
    }

    void poolingEqualsLibTorchModules()
    {
        torch::nn::MaxPool1d maxPool(torch::nn::MaxPool1dOptions(3).stride(2).padding(1).ceil_mode(true));
        expectSameAsReference("MaxPool1d", { 3, 11 },
            { { "kernel_size", int64_t(3) }, { "stride", int64_t(2) }, { "padding", int64_t(1) }, { "ceil_mode", true } },
            [&](const torch::Tensor& x) { return maxPool->forward(x); });
        torch::nn::AvgPool1d avgPool(torch::nn::AvgPool1dOptions(3).stride(2).padding(1).count_include_pad(false));
        expectSameAsReference("AvgPool1d", { 3, 11 },
            { { "kernel_size", int64_t(3) }, { "stride", int64_t(2) }, { "padding", int64_t(1) },
                { "count_include_pad", false } },
            [&](const torch::Tensor& x) { return avgPool->forward(x); });
        torch::nn::AdaptiveMaxPool2d adaptiveMax(torch::nn::AdaptiveMaxPool2dOptions({ 4, 3 }));
        expectSameAsReference("AdaptiveMaxPool2d", { 3, 9, 7 }, { { "output_size", IntList { 4, 3 } } },
            [&](const torch::Tensor& x) { return adaptiveMax->forward(x); });
        torch::nn::AdaptiveAvgPool1d adaptiveAvg(torch::nn::AdaptiveAvgPool1dOptions(4));
        expectSameAsReference("AdaptiveAvgPool1d", { 3, 10 }, { { "output_size", int64_t(4) } },
            [&](const torch::Tensor& x) { return adaptiveAvg->forward(x); });
    }

    // Attention and transformers (issue 19) against LibTorch's own modules on the same weights.
    void multiheadAttentionEqualsLibTorch_data()
    {
        QTest::addColumn<bool>("selfAttention");
        QTest::addColumn<bool>("causal");
        QTest::addColumn<bool>("bias");
        QTest::newRow("self") << true << false << true;
        QTest::newRow("self causal") << true << true << true;
        QTest::newRow("cross, longer memory, causal") << false << true << true;
        QTest::newRow("cross without bias") << false << false << false;
    }
    void multiheadAttentionEqualsLibTorch()
    {
        QFETCH(bool, selfAttention);
        QFETCH(bool, causal);
        QFETCH(bool, bias);
        const bool longer = !selfAttention;
        GraphModel model = attentionModel("MultiheadAttention", { 6, 12 },
            { { "num_heads", int64_t(3) }, { "self_attention", selfAttention }, { "causal", causal },
                { "bias", bias } },
            longer);
        torch::nn::MultiheadAttention reference(torch::nn::MultiheadAttentionOptions(12, 3).bias(bias));
        copyState(*model->blockModule("attn"), *reference);
        reference->eval();
        torch::manual_seed(7);
        const torch::Tensor input = torch::randn({ 4, 6, 12 });
        torch::NoGradGuard noGrad;
        const torch::Tensor memory = memoryOf(model, input, longer);
        const torch::Tensor mask = causal ? causalMask(6, memory.size(1)) : torch::Tensor();
        const torch::Tensor expected = timeFirst(std::get<0>(reference->forward(
            timeFirst(input), timeFirst(memory), timeFirst(memory), {}, false, mask)));
        const torch::Tensor ours = model->forward(input);
        QCOMPARE(ours.sizes().vec(), (std::vector<int64_t> { 4, 6, 12 }));
        QVERIFY(torch::allclose(ours, expected, 1e-5, 1e-5));
    }

    void transformerLayersEqualLibTorch_data()
    {
        QTest::addColumn<bool>("decoder");
        QTest::addColumn<QString>("activation");
        QTest::addColumn<bool>("causal");
        QTest::newRow("encoder relu") << false << "relu" << false;
        QTest::newRow("encoder gelu causal") << false << "gelu" << true;
        QTest::newRow("decoder relu causal") << true << "relu" << true;
        QTest::newRow("decoder gelu") << true << "gelu" << false;
    }
    void transformerLayersEqualLibTorch()
    {
        // LibTorch 1.13's C++ layers know only post-norm; norm_first is compared with Python torch in
        // python.test_export.
        QFETCH(bool, decoder);
        QFETCH(QString, activation);
        QFETCH(bool, causal);
        const ParamMap params { { "nhead", int64_t(2) }, { "dim_feedforward", int64_t(24) },
            { "activation", activation.toStdString() }, { "causal", causal } };
        GraphModel model = attentionModel(
            decoder ? "TransformerDecoderLayer" : "TransformerEncoderLayer", { 5, 8 }, params, decoder);
        const auto function = activation == "gelu" ? torch::nn::activation_t(torch::kGELU)
                                                   : torch::nn::activation_t(torch::kReLU);
        torch::manual_seed(8);
        const torch::Tensor input = torch::randn({ 3, 5, 8 });
        torch::NoGradGuard noGrad;
        const torch::Tensor mask = causal ? causalMask(5, 5) : torch::Tensor();
        torch::Tensor expected;
        if (decoder) {
            torch::nn::TransformerDecoderLayer reference(
                torch::nn::TransformerDecoderLayerOptions(8, 2).dim_feedforward(24).activation(function));
            copyState(*model->blockModule("attn"), *reference);
            reference->eval();
            const torch::Tensor memory = memoryOf(model, input, true);
            expected = timeFirst(reference->forward(timeFirst(input), timeFirst(memory), mask));
        } else {
            torch::nn::TransformerEncoderLayer reference(
                torch::nn::TransformerEncoderLayerOptions(8, 2).dim_feedforward(24).activation(function));
            copyState(*model->blockModule("attn"), *reference);
            reference->eval();
            expected = timeFirst(reference->forward(timeFirst(input), mask));
        }
        const torch::Tensor ours = model->forward(input);
        QCOMPARE(ours.sizes().vec(), (std::vector<int64_t> { 3, 5, 8 }));
        QVERIFY(torch::allclose(ours, expected, 1e-5, 1e-5));
    }

    void scaledDotProductAttentionEqualsOneHeadWithoutProjections()
    {
        // nn.MultiheadAttention with one head and identity projections is plain attention.
        GraphBuilder builder;
        builder.input({ 6, 4 })
            .then("Linear", { { "out_features", int64_t(4) } }, "keys")
            .add("ScaledDotProductAttention", { { "causal", true } }, "sdpa")
            .connect("input", "sdpa", "query")
            .connect("keys", "sdpa", "key")
            .connect("input", "sdpa", "value")
            .output("regression");
        GraphModel model = buildModel(builder.graph(), 4);
        torch::nn::MultiheadAttention reference(torch::nn::MultiheadAttentionOptions(4, 1).bias(false));
        torch::NoGradGuard noGrad;
        reference->in_proj_weight.copy_(torch::eye(4).repeat({ 3, 1 }));
        reference->out_proj->weight.copy_(torch::eye(4));
        torch::manual_seed(9);
        const torch::Tensor input = torch::randn({ 2, 6, 4 });
        auto keys = std::dynamic_pointer_cast<torch::nn::LinearImpl>(model->blockModule("keys"));
        const torch::Tensor key = keys->forward(input);
        const torch::Tensor expected = timeFirst(std::get<0>(
            reference->forward(timeFirst(input), timeFirst(key), timeFirst(input), {}, false, causalMask(6, 6))));
        QVERIFY(torch::allclose(model->forward(input), expected, 1e-5, 1e-6));
    }

    void positionalEncodingIsTheSinusoidTable()
    {
        GraphModel model = singleLayerModel("PositionalEncoding", { 7, 5 }, { { "max_len", int64_t(9) } }, 1);
        const torch::Tensor input = torch::randn({ 2, 7, 5 });
        const torch::Tensor added = model->forward(input) - input;
        for (int64_t position = 0; position < 7; ++position)
            for (int64_t feature = 0; feature < 5; ++feature) {
                const double angle = position / std::pow(10000.0, double(feature - feature % 2) / 5.0);
                const double expected = feature % 2 ? std::cos(angle) : std::sin(angle);
                for (int64_t sample = 0; sample < 2; ++sample)
                    QVERIFY(std::abs(added[sample][position][feature].item<double>() - expected) < 1e-5);
            }
        QCOMPARE(model->named_buffers()["layer.pe"].sizes().vec(), (std::vector<int64_t> { 9, 5 }));
    }

    void learnedPositionsAndClassToken()
    {
        GraphBuilder builder;
        builder.input({ 4, 6 })
            .then("LearnedPositionalEmbedding", { { "max_len", int64_t(10) } }, "positions")
            .then("ClassToken", {}, "cls")
            .output("regression");
        GraphModel model = buildModel(builder.graph(), 2);
        const torch::Tensor input = torch::randn({ 3, 4, 6 });
        const torch::Tensor ours = model->forward(input);
        const torch::Tensor table = model->named_parameters()["positions.weight"];
        const torch::Tensor token = model->named_parameters()["cls.token"];
        QCOMPARE(ours.sizes().vec(), (std::vector<int64_t> { 3, 5, 6 }));
        for (int64_t sample = 0; sample < 3; ++sample) {
            QVERIFY(torch::equal(ours[sample][0], token[0][0]));
            QVERIFY(torch::allclose(ours[sample].slice(0, 1), input[sample] + table.slice(0, 0, 4)));
        }
    }

    void patchEmbeddingProjectsEachPatch()
    {
        GraphModel model = singleLayerModel(
            "PatchEmbedding", { 2, 6, 9 }, { { "embed_dim", int64_t(5) }, { "patch_size", int64_t(3) } }, 3);
        const torch::Tensor input = torch::randn({ 2, 2, 6, 9 });
        const torch::Tensor ours = model->forward(input);
        QCOMPARE(ours.sizes().vec(), (std::vector<int64_t> { 2, 6, 5 }));
        const torch::Tensor weight = model->named_parameters()["layer.weight"].reshape({ 5, -1 });
        const torch::Tensor bias = model->named_parameters()["layer.bias"];
        for (int64_t row = 0; row < 2; ++row)
            for (int64_t column = 0; column < 3; ++column) {
                const torch::Tensor patch = input.slice(2, 3 * row, 3 * row + 3).slice(3, 3 * column, 3 * column + 3);
                const torch::Tensor expected = torch::matmul(patch.reshape({ 2, -1 }), weight.t()) + bias;
                QVERIFY(torch::allclose(ours.select(1, row * 3 + column), expected, 1e-5, 1e-6));
            }
    }

    // Shape and arithmetic blocks of issue 19, each against a formula written with other LibTorch calls.
    void shapeBlocksEqualTheirFormulas_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<IntList>("shape");
        QTest::addColumn<ParamMap>("params");
        QTest::addColumn<int>("formula");
        auto row = [](const char* name, const char* type, IntList shape, ParamMap params, int formula) {
            QTest::newRow(name) << QString(type) << shape << params << formula;
        };
        row("permute channels last", "Permute", { 2, 3, 4 }, { { "dims", IntList { 2, 3, 1 } } }, 0);
        row("transpose", "Transpose", { 6, 4 }, {}, 1);
        row("slice with step", "Slice", { 6, 4 }, { { "start", int64_t(1) }, { "end", int64_t(5) }, { "step", int64_t(2) } }, 2);
        row("select last dim", "Select", { 3, 4, 5 }, { { "dim", int64_t(-1) }, { "index", int64_t(2) } }, 3);
        row("squeeze", "Squeeze", { 3, 1, 5 }, { { "dim", int64_t(2) } }, 4);
        row("zero pad", "ZeroPad2d", { 2, 4, 5 },
            { { "left", int64_t(0) }, { "right", int64_t(2) }, { "top", int64_t(3) }, { "bottom", int64_t(1) } }, 5);
        row("pixel shuffle", "PixelShuffle", { 8, 3, 3 }, {}, 6);
        row("mean keepdim", "Mean", { 2, 3, 4 }, { { "dims", IntList { 2, 3 } }, { "keepdim", true } }, 7);
        row("sum two dims", "Sum", { 2, 3, 4 }, { { "dims", IntList { 1, -1 } } }, 8);
        row("max", "Max", { 2, 3, 4 }, { { "dims", IntList { 2, 3 } } }, 9);
        row("matmul", "MatMul", { 2, 3, 3 }, {}, 10);
    }

    void shapeBlocksEqualTheirFormulas()
    {
        QFETCH(QString, type);
        QFETCH(IntList, shape);
        QFETCH(ParamMap, params);
        QFETCH(int, formula);
        GraphBuilder builder;
        builder.input(shape).then(type.toStdString(), params, "layer");
        if (type == "MatMul")
            builder.connect("input", "layer", "in2");
        builder.from("layer").output("regression");
        GraphModel model = buildModel(builder.graph(), 4);
        std::vector<int64_t> sizes { 3 };
        sizes.insert(sizes.end(), shape.begin(), shape.end());
        torch::manual_seed(8);
        const torch::Tensor x = torch::randn(sizes);
        const int64_t n = x.size(0);
        torch::Tensor expected;
        switch (formula) {
        case 0: expected = x.transpose(1, 2).transpose(2, 3); break;
        case 1: expected = x.permute({ 0, 2, 1 }); break;
        case 2: expected = torch::stack({ x.select(1, 1), x.select(1, 3) }, 1); break;
        case 3: expected = x.index({ Slice(), Slice(), Slice(), 2 }); break;
        case 4: expected = x.reshape({ n, 3, 5 }); break;
        case 5:
            expected = torch::zeros({ n, 2, 8, 7 });
            expected.index_put_({ Slice(), Slice(), Slice(3, 7), Slice(0, 5) }, x);
            break;
        case 6: // out[n, c, h·2 + i, w·2 + j] = x[n, c·4 + i·2 + j, h, w]
            expected = x.reshape({ n, 2, 2, 2, 3, 3 }).permute({ 0, 1, 4, 2, 5, 3 }).reshape({ n, 2, 6, 6 });
            break;
        case 7: expected = (x.flatten(2).sum(-1) / 12).reshape({ n, 2, 1, 1 }); break;
        case 8: expected = x.flatten(1).reshape({ n, 2, 3, 4 }).transpose(1, 2).reshape({ n, 3, 8 }).sum(-1); break;
        case 9: expected = std::get<0>(x.flatten(2).max(-1)); break;
        case 10: expected = torch::einsum("bmij,bmjk->bmik", { x, x }); break;
        default: QFAIL("unknown formula");
        }
        torch::NoGradGuard noGrad;
        const torch::Tensor ours = model->forward(x);
        QCOMPARE(ours.sizes().vec(), expected.sizes().vec());
        QVERIFY(torch::allclose(ours, expected, 1e-5, 1e-5));
    }

    void splitAndChunkGiveTheirPieces()
    {
        for (const char* type : { "Split", "Chunk" }) {
            const bool split = std::string(type) == "Split";
            GraphBuilder builder;
            builder.input({ split ? int64_t(6) : int64_t(5), 4 })
                .then(type, split ? ParamMap { { "sizes", IntList { 2, 4 } } } : ParamMap { { "chunks", int64_t(3) } },
                    "pieces")
                .add("Concat", { { "num_inputs", int64_t(split ? 2 : 3) } }, "join");
            const std::vector<const char*> order
                = split ? std::vector<const char*> { "out2", "out1" } : std::vector<const char*> { "out3", "out1", "out2" };
            for (size_t i = 0; i < order.size(); ++i)
                builder.connect("pieces", "join", "in" + std::to_string(i + 1), order[i]);
            builder.from("join").output("regression");
            GraphModel model = buildModel(builder.graph());
            const torch::Tensor x = torch::randn({ 2, split ? 6 : 5, 4 });
            const torch::Tensor expected = split
                ? torch::cat({ x.narrow(1, 2, 4), x.narrow(1, 0, 2) }, 1)
                : torch::cat({ x.narrow(1, 4, 1), x.narrow(1, 0, 2), x.narrow(1, 2, 2) }, 1);
            QVERIFY2(torch::equal(model->forward(x), expected), type);
        }
    }

    void subtractAndDivideBroadcastLikeTorch()
    {
        // in1 N×3×4, in2 the Mean over dim 2 kept as N×3×1, scaled to stay away from 0.
        for (const char* type : { "Subtract", "Divide" }) {
            GraphBuilder builder;
            builder.input({ 3, 4 })
                .then("Mean", { { "dims", IntList { 2 } }, { "keepdim", true } }, "mean")
                .then("Scale", { { "scale", 0.5 }, { "bias", 4.0 } }, "scale")
                .add(type, {}, "op")
                .connect("input", "op", "in1")
                .connect("scale", "op", "in2")
                .from("op")
                .output("regression");
            GraphModel model = buildModel(builder.graph());
            const torch::Tensor x = torch::randn({ 2, 3, 4 });
            torch::Tensor denominator = torch::zeros({ 2, 3, 1 });
            for (int64_t i = 0; i < 4; ++i)
                denominator += x.narrow(2, i, 1) / 4;
            denominator = denominator * 0.5 + 4.0;
            const torch::Tensor expected = std::string(type) == "Subtract" ? x - denominator.expand({ 2, 3, 4 })
                                                                           : x / denominator.expand({ 2, 3, 4 });
            QVERIFY2(torch::allclose(model->forward(x), expected, 1e-5, 1e-6), type);
        }
    }
};

NETDRAFT_TEST(LayerReferenceTest);
#include "LayerReferenceTest.moc"
