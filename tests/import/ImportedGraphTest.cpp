// The format-neutral half of model import: ops → blocks, module paths → ids and names, repeated
// modules → one composite definition, weights keyed by expanded ids, and the built model computing
// what a hand-written LibTorch reference computes with the same tensors.

#include <torch/torch.h>

#include "engine/import/ImportFormat.h"
#include "engine/import/ImportedGraph.h"
#include "engine/model/GraphModel.h"
#include "engine/train/WeightsImport.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

namespace {

ImportedOp linear(const std::string& path, int input, int64_t in, int64_t out)
{
    ImportedOp op { "Linear", { { "out_features", out } }, path, { input }, {} };
    op.weights = { { "weight", torch::randn({ out, in }) }, { "bias", torch::randn({ out }) } };
    return op;
}

/// stem Linear(8→16), two residual modules "blocks.0/1" (Linear, ReLU, Add with the skip), head Linear(16→3).
ImportedNetwork residualNetwork()
{
    torch::manual_seed(4);
    ImportedNetwork network;
    network.name = "residual";
    network.inputShape = { 8 };
    network.ops.push_back(linear("stem", -1, 8, 16));
    int previous = 0;
    for (const std::string module : { "blocks.0", "blocks.1" }) {
        network.ops.push_back(linear(module + ".fc", previous, 16, 16));
        network.ops.push_back(
            ImportedOp { "ReLU", {}, module + ".act", { static_cast<int>(network.ops.size()) - 1 }, {} });
        network.ops.push_back(ImportedOp { "Add", { { "num_inputs", int64_t(2) } }, module,
            { static_cast<int>(network.ops.size()) - 1, previous }, {} });
        previous = static_cast<int>(network.ops.size()) - 1;
        network.moduleTypes[module] = "Residual";
        network.moduleTypes[module + ".fc"] = "Linear";
        network.moduleTypes[module + ".act"] = "ReLU";
    }
    network.ops.push_back(linear("head", previous, 16, 3));
    network.outputOp = static_cast<int>(network.ops.size()) - 1;
    network.moduleTypes["stem"] = "Linear";
    network.moduleTypes["blocks"] = "Sequential";
    network.moduleTypes["head"] = "Linear";
    return network;
}

torch::Tensor reference(const ImportedNetwork& network, torch::Tensor x)
{
    auto apply = [&](size_t op, const torch::Tensor& value) {
        return torch::nn::functional::linear(
            value, network.ops[op].weights[0].second, network.ops[op].weights[1].second);
    };
    x = apply(0, x);
    for (size_t first : { size_t(1), size_t(4) })
        x = torch::relu(apply(first, x)) + x;
    return apply(7, x);
}

} // namespace

class ImportedGraphTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void repeatedModulesShareOneDefinition()
    {
        const ImportedNetwork network = residualNetwork();
        const ImportedGraph imported = buildImportedGraph(network);
        const Graph& graph = imported.project.graph;
        std::vector<std::string> ids;
        for (const Block& block : graph.blocks())
            ids.push_back(block.id);
        QCOMPARE(ids, (std::vector<std::string> { "input", "stem", "blocks_0", "blocks_1", "head", "output" }));
        QCOMPARE(graph.composites().size(), size_t(1));
        const CompositeDefinition& definition = graph.composites().front();
        QCOMPARE(definition.name, std::string("Residual"));
        QCOMPARE(graph.block("blocks_1").type, std::string("Residual"));
        QCOMPARE(graph.block("blocks_1").name, std::string("blocks.1"));
        std::vector<std::string> inner;
        for (const Block& block : definition.blocks)
            inner.push_back(block.id + ":" + block.name);
        QCOMPARE(inner, (std::vector<std::string> { "fc:fc", "act:act", "add:" }));
        QCOMPARE(definition.inputNames(), std::vector<std::string> { "in" });
        QCOMPARE(imported.compositeInstances, 2);
        QCOMPARE(imported.blockCounts.at("Linear"), 4);
        QCOMPARE(imported.parameterCount, int64_t(8 * 16 + 16 + 2 * (16 * 16 + 16) + 16 * 3 + 3));
        // Blocks are laid out left to right by depth.
        QVERIFY(graph.block("stem").position.x < graph.block("blocks_0").position.x);
        QVERIFY(graph.block("blocks_1").position.x < graph.block("head").position.x);
    }

    void theModelComputesTheReference()
    {
        for (bool grouped : { true, false }) {
            const ImportedNetwork network = residualNetwork();
            ImportGraphOptions options;
            options.groupModules = grouped;
            const ImportedGraph imported = buildImportedGraph(network, options);
            bool named = false;
            for (const auto& [name, tensor] : imported.weights)
                named = named || name == (grouped ? "blocks_1__fc.weight" : "blocks_1_fc.weight");
            QVERIFY(named);
            GraphModel model = buildModel(imported.project.graph);
            importWeights(*model, imported.weights, "imported");
            model->eval();
            const torch::Tensor x = torch::randn({ 5, 8 });
            const torch::Tensor expected = reference(network, x);
            QVERIFY(torch::allclose(model->forward(x), expected, 1e-5, 1e-5));
        }
    }

    void weightsThatDoNotFitAreListed()
    {
        ImportedNetwork network = residualNetwork();
        network.ops.back().weights[0].second = torch::randn({ 3, 10 });
        try {
            buildImportedGraph(network);
            QFAIL("weights of the wrong shape were accepted");
        } catch (const Error& error) {
            QCOMPARE(std::string(error.what()),
                std::string("import: the weights do not fit the blocks made from them:\n  head.weight: file 3×10, "
                            "block 3×16"));
        }
    }

    void pathsBecomeIds()
    {
        QCOMPARE(blockIdFromPath("layer1.0.conv1", "conv2d"), std::string("layer1_0_conv1"));
        QCOMPARE(blockIdFromPath("0", "linear"), std::string("linear_0")); // nn.Sequential children
        QCOMPARE(blockIdFromPath("", "relu"), std::string("relu"));
    }

    void formatsComeFromTheirRegistry()
    {
        QCOMPARE(importFormat("torchscript").fileFilter(), std::string("PyTorch TorchScript (*.pt *.pth)"));
        QVERIFY(importFormatForFile("/models/ResNet18.PT") != nullptr);
        QVERIFY(importFormatForFile("model.h5") == nullptr);
#ifdef NETDRAFT_ONNX_EXPORT // the ONNX format is built with libonnx only
        QCOMPARE(importFormatNames(), (std::vector<std::string> { "torchscript", "onnx" }));
        QCOMPARE(importFormatForFile("/models/ResNet18.onnx")->name, std::string("onnx"));
        QVERIFY(!importFormat("onnx").runsCode);
        QCOMPARE(importFileFilters().front(), std::string("Models (*.pt *.pth *.onnx)"));
#else
        QCOMPARE(importFormatNames(), std::vector<std::string> { "torchscript" });
        QVERIFY(importFormatForFile("model.onnx") == nullptr);
        QCOMPARE(importFileFilters().front(), std::string("Models (*.pt *.pth)"));
#endif
    }
};

NETDRAFT_TEST(ImportedGraphTest);
#include "ImportedGraphTest.moc"
