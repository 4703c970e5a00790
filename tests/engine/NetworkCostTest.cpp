// What a network costs (engine/insight): multiply-accumulates of each layer type against its hand
// formula, a small CNN counted by hand, torchvision's resnet18 against its published figures, and
// the training memory estimate with the optimizer state measured through the registry.

#include "engine/insight/NetworkCost.h"
#include "engine/core/Error.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/insight/NetworkCostJson.h"
#include "engine/insight/OptimizerState.h"
#include "engine/project/TrainingSettings.h"
#include "engine/train/OptimizerRegistry.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <nlohmann/json.hpp>

#include <QTest>

#include <cmath>

using namespace netdraft::engine;

Q_DECLARE_METATYPE(netdraft::engine::Graph)

namespace {

/// The one block of `graph` named "layer".
const BlockCost& layerOf(const NetworkCost& cost)
{
    for (const BlockCost& block : cost.blocks)
        if (block.id == "layer")
            return block;
    throw Error("no block 'layer'");
}

Graph single(const IntList& sampleShape, const std::string& type, const ParamMap& params)
{
    return GraphBuilder().input(sampleShape).then(type, params, "layer").output("regression").graph();
}

/// torchvision's BasicBlock: conv3×3(stride)-bn-relu-conv3×3-bn, plus the input (or its 1×1 conv
/// with bn when the shape changes), then relu. Chains on from `input`; returns the last block's id.
std::string basicBlock(GraphBuilder& builder, const std::string& input, const std::string& name, int64_t channels,
    int64_t stride, bool downsample)
{
    const ParamMap conv3 { { "out_channels", channels }, { "kernel_size", IntList { 3, 3 } },
        { "padding", IntList { 1, 1 } }, { "bias", false } };
    ParamMap first = conv3;
    first["stride"] = IntList { stride, stride };
    builder.from(input)
        .then("Conv2d", first, name + "_conv1")
        .then("BatchNorm2d", {}, name + "_bn1")
        .then("ReLU", {}, name + "_relu1")
        .then("Conv2d", conv3, name + "_conv2")
        .then("BatchNorm2d", {}, name + "_bn2")
        .then("Add", {}, name + "_add");
    std::string shortcut = input;
    if (downsample) {
        builder.from(input)
            .then("Conv2d",
                { { "out_channels", channels }, { "kernel_size", IntList { 1, 1 } },
                    { "stride", IntList { stride, stride } }, { "bias", false } },
                name + "_down")
            .then("BatchNorm2d", {}, name + "_down_bn");
        shortcut = name + "_down_bn";
    }
    builder.connect(shortcut, name + "_add", "in2");
    builder.from(name + "_add").then("ReLU", {}, name + "_relu2");
    return name + "_relu2";
}

Graph resnet18()
{
    GraphBuilder builder;
    builder.input({ 3, 224, 224 })
        .then("Conv2d",
            { { "out_channels", int64_t(64) }, { "kernel_size", IntList { 7, 7 } }, { "stride", IntList { 2, 2 } },
                { "padding", IntList { 3, 3 } }, { "bias", false } },
            "conv1")
        .then("BatchNorm2d", {}, "bn1")
        .then("ReLU", {}, "relu")
        .then("MaxPool2d",
            { { "kernel_size", IntList { 3, 3 } }, { "stride", IntList { 2, 2 } }, { "padding", IntList { 1, 1 } } },
            "maxpool");
    std::string last = "maxpool";
    const int64_t widths[] = { 64, 128, 256, 512 };
    for (int stage = 0; stage < 4; ++stage) {
        const std::string name = "layer" + std::to_string(stage + 1);
        const int64_t stride = stage == 0 ? 1 : 2;
        last = basicBlock(builder, last, name + "_0", widths[stage], stride, stage != 0);
        last = basicBlock(builder, last, name + "_1", widths[stage], 1, false);
    }
    builder.from(last).then("GlobalAvgPool", {}, "avgpool").then("Linear", { { "out_features", int64_t(1000) } }, "fc");
    return builder.output().graph();
}

/// torchvision's mobilenet_v2 (ReLU in place of ReLU6: neither has parameters or MACs).
Graph mobilenetV2()
{
    GraphBuilder builder;
    const auto conv = [&](const std::string& id, int64_t out, int64_t kernel, int64_t stride, int64_t groups) {
        const int64_t padding = (kernel - 1) / 2;
        builder.then("Conv2d",
            { { "out_channels", out }, { "kernel_size", IntList { kernel, kernel } },
                { "stride", IntList { stride, stride } }, { "padding", IntList { padding, padding } },
                { "groups", groups }, { "bias", false } },
            id);
        builder.then("BatchNorm2d", {}, id + "_bn");
    };
    builder.input({ 3, 224, 224 });
    conv("stem", 32, 3, 2, 1);
    builder.then("ReLU", {}, "stem_relu");
    // (expansion t, channels c, repeats n, first stride s)
    const int64_t settings[][4] = { { 1, 16, 1, 1 }, { 6, 24, 2, 2 }, { 6, 32, 3, 2 }, { 6, 64, 4, 2 }, { 6, 96, 3, 1 },
        { 6, 160, 3, 2 }, { 6, 320, 1, 1 } };
    int64_t channels = 32;
    int index = 0;
    for (const auto& setting : settings) {
        for (int64_t repeat = 0; repeat < setting[2]; ++repeat, ++index) {
            const std::string name = "block" + std::to_string(index);
            const std::string input = builder.last();
            const int64_t stride = repeat == 0 ? setting[3] : 1;
            const int64_t hidden = channels * setting[0];
            if (setting[0] != 1) {
                conv(name + "_expand", hidden, 1, 1, 1);
                builder.then("ReLU", {}, name + "_expand_relu");
            }
            conv(name + "_depthwise", hidden, 3, stride, hidden);
            builder.then("ReLU", {}, name + "_depthwise_relu");
            conv(name + "_project", setting[1], 1, 1, 1);
            if (stride == 1 && channels == setting[1]) {
                builder.then("Add", {}, name + "_add").connect(input, name + "_add", "in2");
            }
            channels = setting[1];
        }
    }
    conv("head", 1280, 1, 1, 1);
    builder.then("ReLU", {}, "head_relu").then("GlobalAvgPool", {}, "pool");
    builder.then("Dropout", {}, "dropout").then("Linear", { { "out_features", int64_t(1000) } }, "classifier");
    return builder.output().graph();
}

} // namespace

class NetworkCostTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void multiplyAccumulatesOfEachLayerType_data()
    {
        QTest::addColumn<Graph>("graph");
        QTest::addColumn<qint64>("expected");
        // Convolutions: output elements × (in_channels / groups) × kernel taps.
        // 8×10×12, kernel 3×5, stride 2 → 16×4×4; groups 4 → 2 input channels per output.
        QTest::newRow("Conv2d grouped, strided") << single({ 8, 10, 12 }, "Conv2d",
            { { "out_channels", int64_t(16) }, { "kernel_size", IntList { 3, 5 } }, { "stride", IntList { 2, 2 } },
                { "groups", int64_t(4) } }) << qint64(16 * 4 * 4 * 2 * 3 * 5);
        QTest::newRow("Conv1d") << single(
            { 4, 20 }, "Conv1d", { { "out_channels", int64_t(6) }, { "kernel_size", IntList { 5 } } })
                                << qint64(6 * 16 * 4 * 5);
        // Depthwise (groups = in_channels): out_h·out_w·out_channels·k·k, one input channel per output.
        QTest::newRow("Conv2d depthwise") << single({ 8, 10, 12 }, "Conv2d",
            { { "out_channels", int64_t(8) }, { "groups", int64_t(8) }, { "padding", int64_t(1) } })
                                          << qint64(10 * 12 * 8 * 3 * 3);
        QTest::newRow("Conv3d") << single({ 2, 5, 6, 6 }, "Conv3d", { { "out_channels", int64_t(4) } })
                                << qint64(4 * 3 * 4 * 4 * 2 * 3 * 3 * 3);
        // Transposed: every input value meets out_channels/groups × kernel taps weights.
        QTest::newRow("ConvTranspose2d") << single({ 8, 5, 5 }, "ConvTranspose2d", { { "out_channels", int64_t(4) } })
                                         << qint64(8 * 5 * 5 * 4 * 2 * 2);
        // Linear over the last dimension of a sequence: positions × in × out.
        QTest::newRow("Linear 3-D") << single({ 7, 12 }, "Linear", { { "out_features", int64_t(5) } })
                                    << qint64(7 * 12 * 5);
        // Recurrent: steps × Σ over layers and directions of gates × hidden × (layer input + hidden).
        QTest::newRow("LSTM 2 layers bidirectional") << single({ 6, 10 }, "LSTM",
            { { "hidden_size", int64_t(8) }, { "num_layers", int64_t(2) }, { "bidirectional", true } })
                                                     << qint64(6 * (2 * 4 * 8 * (10 + 8) + 2 * 4 * 8 * (16 + 8)));
        QTest::newRow("GRU") << single({ 6, 10 }, "GRU", { { "hidden_size", int64_t(8) } }) << qint64(6 * 3 * 8 * 18);
        QTest::newRow("RNN") << single({ 6, 10 }, "RNN", { { "hidden_size", int64_t(8) } }) << qint64(6 * 1 * 8 * 18);
        // Time-first with the batch first: PyTorch runs N steps over 6 rows, the same 6·144 per sample.
        QTest::newRow("RNN time-first") << single(
            { 6, 10 }, "RNN", { { "hidden_size", int64_t(8) }, { "batch_first", false } })
                                        << qint64(6 * 1 * 8 * 18);
        // No products with weights: normalisation, activations, pooling.
        QTest::newRow("BatchNorm2d") << single({ 8, 5, 5 }, "BatchNorm2d", {}) << qint64(0);
        QTest::newRow("LayerNorm") << single({ 6, 10 }, "LayerNorm", {}) << qint64(0);
        QTest::newRow("ReLU") << single({ 8, 5, 5 }, "ReLU", {}) << qint64(0);
        QTest::newRow("MaxPool2d") << single({ 8, 6, 6 }, "MaxPool2d", {}) << qint64(0);
    }
    void multiplyAccumulatesOfEachLayerType()
    {
        QFETCH(Graph, graph);
        QFETCH(qint64, expected);
        const NetworkCost cost = costOf(CompiledNetwork::compile(graph));
        QCOMPARE(qint64(layerOf(cost).multiplyAccumulates), expected);
        QCOMPARE(qint64(cost.totalMultiplyAccumulates()), expected);
    }

    void smallCnnCountedByHand()
    {
        // 3×32×32 → conv 32 (3×3, pad 1) → pool → conv 64 → pool → conv 128 → pool → 2048 → Linear 10.
        CostOptions options;
        options.batchSize = 8;
        const NetworkCost cost = costOf(CompiledNetwork::compile(netdraft::tests::classicCnn(true)), options);
        // weights + biases: 32·3·9+32, 64·32·9+64, 128·64·9+128, 2048·10+10
        QCOMPARE(cost.totalParameters(), int64_t(896 + 18496 + 73856 + 20490));
        QCOMPARE(cost.trainableParameters(), int64_t(113738));
        QCOMPARE(cost.frozenParameters(), int64_t(0));
        // 32·32·32 outputs × 3·9, 64·16·16 × 32·9, 128·8·8 × 64·9, 10 × 2048
        QCOMPARE(cost.totalMultiplyAccumulates(), int64_t(884736 + 4718592 + 4718592 + 20480));
        // Every output but the Output block's, float32: input 3072, conv1+relu1 2·32768, pool1 8192,
        // conv2+relu2 2·16384, pool2 4096, conv3+relu3 2·8192, pool3+flatten 2·2048, fc 10.
        QCOMPARE(cost.memory.activationBytesPerSample, int64_t(134154 * 4));
        QCOMPARE(cost.memory.activationBytes(), int64_t(134154 * 4 * 8));
        QCOMPARE(cost.blocks.front().id, std::string("input"));
        QCOMPARE(cost.blocks.back().id, std::string("fc"));
        QCOMPARE(cost.blocks.back().activationBytes, int64_t(10 * 4 * 8));
    }

    void resnet18MatchesTorchvision()
    {
        const NetworkCost cost = costOf(CompiledNetwork::compile(resnet18()));
        // torchvision.models.resnet18: 11,689,512 parameters, 1.81 GFLOPS (multiply-accumulates).
        QCOMPARE(cost.totalParameters(), int64_t(11689512));
        const double macs = static_cast<double>(cost.totalMultiplyAccumulates());
        QVERIFY2(std::abs(macs / 1.81e9 - 1) < 0.01, std::to_string(macs).c_str());
    }

    void mobilenetV2MatchesTorchvision()
    {
        const NetworkCost cost = costOf(CompiledNetwork::compile(mobilenetV2()));
        // torchvision.models.mobilenet_v2: 3,504,872 parameters, 0.30 GFLOPS (multiply-accumulates);
        // its depthwise convolutions check the groups in the convolution formula.
        QCOMPARE(cost.totalParameters(), int64_t(3504872));
        const double macs = static_cast<double>(cost.totalMultiplyAccumulates());
        QVERIFY2(std::abs(macs / 0.30e9 - 1) < 0.01, std::to_string(macs).c_str());
    }

    void frozenBlocksCountApart()
    {
        Graph graph = netdraft::tests::classicCnn(true);
        graph.block("conv1").frozen = true;
        graph.block("fc").frozen = true;
        CostOptions options;
        options.optimizerStateValuesPerParameter = 2;
        const NetworkCost cost = costOf(CompiledNetwork::compile(graph), options);
        QCOMPARE(cost.frozenParameters(), int64_t(896 + 20490));
        QCOMPARE(cost.trainableParameters(), int64_t(18496 + 73856));
        QCOMPARE(cost.memory.parameterBytes, int64_t(113738 * 4));
        // Gradients and optimizer state only for what trains.
        QCOMPARE(cost.memory.gradientBytes, int64_t((18496 + 73856) * 4));
        QCOMPARE(cost.memory.optimizerStateBytes, int64_t((18496 + 73856) * 2 * 4));
    }

    void optimizerStateIsMeasured_data()
    {
        QTest::addColumn<QString>("optimizer");
        QTest::addColumn<double>("momentum");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("sgd") << "sgd" << 0.0 << qint64(0);
        QTest::newRow("sgd momentum") << "sgd" << 0.9 << qint64(1); // momentum_buffer
        QTest::newRow("adam") << "adam" << 0.0 << qint64(2); // exp_avg, exp_avg_sq
        QTest::newRow("adamw") << "adamw" << 0.0 << qint64(2);
        QTest::newRow("rmsprop") << "rmsprop" << 0.0 << qint64(1); // square_avg
        QTest::newRow("rmsprop momentum") << "rmsprop" << 0.9 << qint64(2);
        QTest::newRow("adagrad") << "adagrad" << 0.0 << qint64(1); // sum
    }
    void optimizerStateIsMeasured()
    {
        QFETCH(QString, optimizer);
        QFETCH(double, momentum);
        QFETCH(qint64, expected);
        TrainingSettings settings;
        settings.optimizer = optimizer.toStdString();
        settings.momentum = momentum;
        QCOMPARE(qint64(optimizerStateValues(settings)), expected);
    }

    void everyRegisteredOptimizerIsMeasured()
    {
        for (const std::string& name : OptimizerRegistry::instance().names()) {
            TrainingSettings settings;
            settings.optimizer = name;
            const int64_t values = optimizerStateValues(settings);
            QVERIFY2(values >= 0 && values <= 3, name.c_str());
        }
        TrainingSettings unknown;
        unknown.optimizer = "lbfgs2";
        try {
            optimizerStateValues(unknown);
            QFAIL("an unknown optimizer was measured");
        } catch (const Error& error) {
            QVERIFY2(std::string(error.what()).find("training setting optimizer: expected") != std::string::npos,
                error.what());
        }
    }

    void memoryFitAndLargestBatch()
    {
        TrainingSettings settings;
        settings.optimizer = "adam";
        settings.batchSize = 8;
        const CostOptions options = CostOptions::fromSettings(settings);
        QCOMPARE(options.optimizerStateValuesPerParameter, int64_t(2));
        const NetworkCost cost = costOf(CompiledNetwork::compile(netdraft::tests::classicCnn(true)), options);
        const TrainingMemory& memory = cost.memory;
        const int64_t fixed = 113738 * 4 * (1 + 1 + 2); // weights, gradients, Adam's two moments
        const int64_t perSample = 134154 * 4;
        QCOMPARE(memory.fixedBytes(), fixed);
        QCOMPARE(memory.totalBytes(), fixed + 8 * perSample);
        QVERIFY(memory.fitsIn(fixed + 8 * perSample));
        QVERIFY(!memory.fitsIn(fixed + 8 * perSample - 1));
        QCOMPARE(memory.largestBatchSize(fixed + 10 * perSample + 5), int64_t(10));
        QCOMPARE(memory.largestBatchSize(fixed + perSample - 1), int64_t(0));
        QCOMPARE(memory.largestBatchSize(fixed / 2), int64_t(0));

        settings.precision = "bf16";
        const NetworkCost half
            = costOf(CompiledNetwork::compile(netdraft::tests::classicCnn(true)), CostOptions::fromSettings(settings));
        QCOMPARE(half.memory.activationBytesPerSample, perSample / 2);
        QCOMPARE(half.memory.parameterBytes, int64_t(113738 * 4)); // float32 master weights
    }

    void jsonCarriesTheTotalsAndBlocks()
    {
        CostOptions options;
        options.batchSize = 4;
        options.optimizer = "sgd";
        const NetworkCost cost = costOf(CompiledNetwork::compile(netdraft::tests::classicCnn(true)), options);
        const auto json = nlohmann::json::parse(networkCostJson(cost, DeviceMemory { "cpu", "test", int64_t(1) << 30 }));
        QCOMPARE(json.at("total_parameters").get<int64_t>(), int64_t(113738));
        QCOMPARE(json.at("trainable_parameters").get<int64_t>(), int64_t(113738));
        QCOMPARE(json.at("total_macs").get<int64_t>(), int64_t(10342400));
        QCOMPARE(json.at("memory").at("batch_size").get<int64_t>(), int64_t(4));
        QCOMPARE(json.at("memory").at("fits").get<bool>(), true);
        QCOMPARE(json.at("memory").at("total_bytes").get<int64_t>(), cost.memory.totalBytes());
        QCOMPARE(json.at("blocks").size(), cost.blocks.size());
        QCOMPARE(json.at("blocks").at(1).at("id").get<std::string>(), std::string("conv1"));
        QCOMPARE(json.at("blocks").at(1).at("output_shape").get<std::string>(), std::string("N×32×32×32"));
        QCOMPARE(json.at("blocks").at(1).at("macs").get<int64_t>(), int64_t(884736));
    }

    void formatsCountsAndBytes()
    {
        QCOMPARE(formatCount(512), std::string("512"));
        QCOMPARE(formatCount(11689512), std::string("11.69 M"));
        QCOMPARE(formatCount(1814073344), std::string("1.81 G"));
        QCOMPARE(formatBytes(1000), std::string("1000 B"));
        QCOMPARE(formatBytes(int64_t(3) << 29), std::string("1.50 GiB"));
    }
};

NETDRAFT_TEST(NetworkCostTest);
#include "NetworkCostTest.moc"
