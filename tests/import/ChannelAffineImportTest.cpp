// Per-channel constants of imported graphs as ChannelAffine blocks (engine/import/ChannelAffineImport):
// which constant shapes act per channel, chains of per-channel and Scale steps joined into one block
// against the steps applied one by one, and the engine's own ONNX export of ChannelAffine (Mul and Add
// with C×1×1 initializers) read back as one block with the same values.

#include <torch/torch.h>

#include "engine/export/ExportMetadata.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/import/ChannelAffineImport.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "tests/support/TestRegistry.h"
#ifdef NETDRAFT_ONNX_EXPORT
#include "engine/export/OnnxExport.h"
#include "engine/import/OnnxImport.h"
#endif

#include <QTest>

using namespace netdraft::engine;

namespace {

torch::Tensor weightOf(const ImportedOp& op, const std::string& name)
{
    for (const auto& [key, tensor] : op.weights)
        if (key == name)
            return tensor;
    return {};
}

bool flagOf(const ImportedOp& op, const char* name)
{
    return std::get<bool>(op.params.at(name));
}

ImportedOp affineOp(int input, const torch::Tensor& scale, const torch::Tensor& shift, bool learnScale, bool learnShift)
{
    ImportedOp op;
    op.inputs = { input };
    setChannelAffine(op, { scale, shift, learnScale, learnShift });
    return op;
}

ImportedOp plainOp(const char* type, int input, ParamMap params = {})
{
    ImportedOp op;
    op.layerType = type;
    op.inputs = { input };
    op.params = std::move(params);
    return op;
}

/// What op `op` computes on N×C×H×W `x`, for the ops these tests use.
torch::Tensor apply(const ImportedOp& op, const torch::Tensor& x)
{
    if (op.layerType == "ChannelAffine")
        return x * weightOf(op, "scale").view({ 1, -1, 1, 1 }) + weightOf(op, "shift").view({ 1, -1, 1, 1 });
    if (op.layerType == "Scale")
        return x * std::get<double>(op.params.at("scale")) + std::get<double>(op.params.at("bias"));
    if (op.layerType == "ReLU")
        return torch::relu(x);
    throw std::runtime_error("no " + op.layerType);
}

/// The network's output on `x` (ops in order, each reading one op).
torch::Tensor run(const ImportedNetwork& network, const torch::Tensor& x)
{
    std::vector<torch::Tensor> values;
    for (const ImportedOp& op : network.ops)
        values.push_back(apply(op, op.inputs.front() < 0 ? x : values.at(static_cast<size_t>(op.inputs.front()))));
    return values.at(static_cast<size_t>(network.outputOp));
}

std::vector<std::string> typesOf(const ImportedNetwork& network)
{
    std::vector<std::string> types;
    for (const ImportedOp& op : network.ops)
        types.push_back(op.layerType);
    return types;
}

} // namespace

class ChannelAffineImportTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void perChannelShapes_data()
    {
        QTest::addColumn<IntList>("constant");
        QTest::addColumn<int>("dataRank");
        QTest::addColumn<bool>("perChannel");
        QTest::newRow("C×1×1 on N×C×H×W") << IntList { 3, 1, 1 } << 4 << true;
        QTest::newRow("1×C×1×1 on N×C×H×W") << IntList { 1, 3, 1, 1 } << 4 << true;
        QTest::newRow("C×1 on N×C×L") << IntList { 3, 1 } << 3 << true;
        QTest::newRow("C on N×C") << IntList { 3 } << 2 << true;
        QTest::newRow("1×C on N×C") << IntList { 1, 3 } << 2 << true;
        QTest::newRow("C on N×C×H×W (the width)") << IntList { 3 } << 4 << false;
        QTest::newRow("C×1 on N×C×H×W (the height)") << IntList { 3, 1 } << 4 << false;
        QTest::newRow("2×3×1×1 (over the batch)") << IntList { 2, 3, 1, 1 } << 4 << false;
        QTest::newRow("C×H×W") << IntList { 3, 2, 2 } << 4 << false;
        QTest::newRow("more dimensions than the data") << IntList { 1, 1, 3, 1, 1 } << 4 << false;
        QTest::newRow("one value") << IntList { 1, 1, 1 } << 4 << false;
        QTest::newRow("unknown rank") << IntList { 3, 1, 1 } << 0 << false;
    }
    void perChannelShapes()
    {
        QFETCH(IntList, constant);
        QFETCH(int, dataRank);
        QFETCH(bool, perChannel);
        const torch::Tensor values = torch::arange(torch::tensor(constant).prod().item<int64_t>()).to(torch::kFloat);
        const std::optional<torch::Tensor> found = perChannelValues(values.reshape(constant), dataRank);
        QCOMPARE(found.has_value(), perChannel);
        if (found)
            QVERIFY(torch::equal(*found, values));
    }

    /// (x - mean) / std, ReLU, x · 2 + 1 then · scale: two blocks that compute what the five steps do.
    void chainsJoinIntoOneBlock()
    {
        torch::manual_seed(2);
        const torch::Tensor mean = torch::rand({ 3 }), std = torch::rand({ 3 }) + 0.5, scale = torch::randn({ 3 });
        ImportedNetwork network;
        network.ops = { affineOp(-1, torch::ones({ 1 }), -mean, false, false),
            affineOp(0, 1 / std, torch::zeros({ 1 }), false, false), plainOp("ReLU", 1),
            plainOp("Scale", 2, { { "scale", 2.0 }, { "bias", 1.0 } }),
            affineOp(3, scale, torch::zeros({ 1 }), true, false) };
        network.outputOp = 4;
        const ImportedNetwork original = network;
        joinChannelAffines(network);
        QCOMPARE(typesOf(network), (std::vector<std::string> { "ChannelAffine", "ReLU", "ChannelAffine" }));
        QCOMPARE(network.ops[0].inputs, std::vector<int> { -1 });
        QCOMPARE(network.ops[1].inputs, std::vector<int> { 0 });
        QCOMPARE(network.ops[2].inputs, std::vector<int> { 1 });
        QCOMPARE(network.outputOp, 2);
        QVERIFY(torch::allclose(weightOf(network.ops[0], "scale"), 1 / std));
        QVERIFY(torch::allclose(weightOf(network.ops[0], "shift"), -mean / std));
        QVERIFY(!flagOf(network.ops[0], "learn_scale") && !flagOf(network.ops[0], "learn_shift"));
        QVERIFY(flagOf(network.ops[2], "learn_scale") && !flagOf(network.ops[2], "learn_shift"));
        const torch::Tensor x = torch::randn({ 2, 3, 4, 4 });
        QVERIFY(torch::allclose(run(network, x), run(original, x), 1e-5, 1e-6));
    }

    /// A step read by two ops, or that is the network's output, stays a block of its own; two Scales
    /// stay Scales.
    void sharedStepsStayApart()
    {
        ImportedNetwork network;
        network.ops = { affineOp(-1, torch::rand({ 3 }), torch::rand({ 3 }), true, true),
            affineOp(0, torch::rand({ 3 }), torch::zeros({ 1 }), true, false), plainOp("ReLU", 0),
            plainOp("Scale", 2, { { "scale", 2.0 }, { "bias", 0.0 } }),
            plainOp("Scale", 3, { { "scale", 3.0 }, { "bias", 0.0 } }) };
        network.outputOp = 1;
        const ImportedNetwork original = network;
        joinChannelAffines(network);
        QCOMPARE(typesOf(network), typesOf(original));
        QCOMPARE(network.outputOp, 1);
    }

#ifdef NETDRAFT_ONNX_EXPORT
    /// Netdraft's ONNX export of ChannelAffine blocks (Mul then Add by C×1×1 initializers) reads back as
    /// one ChannelAffine each with the same values; torch writes Mul and Add for parameters, so both parts
    /// come back learned.
    void onnxExportReadsBackAsOneBlock()
    {
        GraphBuilder builder;
        builder.input({ 3, 5, 5 })
            .then("ChannelAffine", { { "learn_shift", false } }, "norm")
            .then("Conv2d", { { "out_channels", int64_t(4) } }, "conv")
            .then("ChannelAffine", {}, "layer_scale")
            .output("regression");
        const CompiledNetwork network = CompiledNetwork::compile(builder.graph());
        GraphModel model = buildModel(network, 3);
        torch::NoGradGuard noGrad;
        auto state = model->named_parameters();
        auto buffers = model->named_buffers();
        for (const char* name : { "norm.scale", "layer_scale.scale", "layer_scale.shift" })
            state[name].copy_(torch::rand_like(state[name]) + 0.5);
        buffers["norm.shift"].copy_(torch::randn_like(buffers["norm.shift"]));
        std::vector<std::string> notes;
        const ImportedNetwork imported
            = readOnnxNetwork(onnxModelBytes(network, *model, metadataOf(network)), "model.onnx", {}, notes);
        QCOMPARE(typesOf(imported), (std::vector<std::string> { "ChannelAffine", "Conv2d", "ChannelAffine" }));
        QVERIFY(torch::equal(weightOf(imported.ops[0], "scale"), state["norm.scale"]));
        QVERIFY(torch::equal(weightOf(imported.ops[0], "shift"), buffers["norm.shift"]));
        QVERIFY(torch::equal(weightOf(imported.ops[2], "scale"), state["layer_scale.scale"]));
        QVERIFY(torch::equal(weightOf(imported.ops[2], "shift"), state["layer_scale.shift"]));
        QVERIFY(flagOf(imported.ops[0], "learn_scale") && flagOf(imported.ops[0], "learn_shift"));
    }
#endif
};

NETDRAFT_TEST(ChannelAffineImportTest);
#include "ChannelAffineImportTest.moc"
