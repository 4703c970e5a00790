// Models built from graphs of the new layers equal hand-written LibTorch modules on the same weights.

#include <torch/torch.h>

#include "engine/graph/GraphBuilder.h"
#include "engine/model/GraphModel.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;
using torch::indexing::Slice;

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
};

NETDRAFT_TEST(LayerReferenceTest);
#include "LayerReferenceTest.moc"
