// Exported TorchScript reloads with plain torch::jit::load and computes what the in-app model computes.

#include <torch/script.h>
#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/BuiltBlock.h"
#include "tests/engine/ExportTestGraphs.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace netdraft::engine;
using netdraft::tests::randomBatch;

Q_DECLARE_METATYPE(netdraft::engine::Graph)

namespace {

/// A layer type without export hooks, registered only by the test that needs it.
class NotExportableLayer : public LayerType {
public:
    NotExportableLayer() : LayerType({"ExportTestNotExportable", "Not exportable", category::kActivation, "Test only.", {}}) {}
    void inferShape(InferenceContext& context) const override { context.setOutput(context.input()); }
    BuiltBlock build(const BuildContext&) const override
    {
        return {nullptr, [](const std::vector<torch::Tensor>& in) { return in[0] * 2; }};
    }
};

std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

class TorchScriptExportTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

    std::string path(const char* name) const { return folder_.filePath(name).toStdString(); }

    /// Exports, reloads with torch::jit::load only and compares with the model on random batches.
    void expectSameOutputs(const Graph& graph, const char* file)
    {
        GraphModel model = netdraft::tests::trainedLikeModel(graph, 5);
        ExportMetadata metadata = metadataFromGraph(graph);
        try {
            exportTorchScript(graph, *model, metadata, path(file));
        } catch (const std::exception& error) {
            QFAIL(error.what());
        }
        torch::jit::Module loaded = torch::jit::load(path(file));
        loaded.eval();
        torch::NoGradGuard noGrad;
        for (int64_t batch : {1, 4}) {
            torch::Tensor input = randomBatch(metadata, batch);
            torch::Tensor expected = model->forward(input);
            torch::Tensor actual = loaded.forward({input}).toTensor();
            QCOMPARE(actual.sizes().vec(), expected.sizes().vec());
            const double difference = (actual - expected).abs().max().item<double>();
            if (difference > 1e-5)
                QFAIL(qPrintable(QString("max abs difference %1").arg(difference)));
        }
    }

private Q_SLOTS:
    void classicCnnMatches() { expectSameOutputs(netdraft::tests::classicCnn(true), "cnn.pt"); }
    void residualBlockWithAddMatches() { expectSameOutputs(netdraft::tests::residualBlock(), "residual.pt"); }
    void lstmClassifierMatches() { expectSameOutputs(netdraft::tests::lstmClassifier(), "lstm.pt"); }
    void attentionNetworkMatches() { expectSameOutputs(netdraft::tests::attentionNetwork(), "attention.pt"); }

    void everyExportableLayerType_data()
    {
        QTest::addColumn<Graph>("graph");
        for (const auto& item : netdraft::tests::singleLayerCases())
            QTest::newRow(item.type.c_str()) << item.graph;
    }
    void everyExportableLayerType()
    {
        QFETCH(Graph, graph);
        if (graph.blocks().empty())
            QSKIP("layer type not registered in this build");
        const Block& layer = graph.block("layer");
        const LayerType* type = LayerRegistry::instance().find(layer.type);
        const InferenceResult inference = inferShapes(graph);
        const BlockInference& info = inference.blocks.at("layer");
        QVERIFY2(info.ok(), "the test graph must be valid");
        const BuildContext context{ParamReader(type->description(), info.params), info.inputs, *info.output};
        if (!type->torchScriptBody(context)) {
            // Refused types must be refused by the exporter with their block and type named.
            GraphModel model = buildModel(graph);
            try {
                torchScriptArchive(graph, *model, metadataFromGraph(graph));
                QFAIL("a layer without TorchScript was exported");
            } catch (const Error& error) {
                QVERIFY(std::string(error.what()).find("block layer (" + layer.type + ")") != std::string::npos);
            }
            QSKIP("this layer type is not exportable to TorchScript");
        }
        expectSameOutputs(graph, "single.pt");
    }

    void metadataTravelsInTheArchive()
    {
        const Graph graph = netdraft::tests::classicCnn(true);
        GraphModel model = buildModel(graph, 1);
        ExportMetadata metadata = metadataFromGraph(graph);
        metadata.classNames = {"circle", "square", "triangle", "star", "cross", "ring", "bar", "dot", "arrow", "heart"};
        metadata.mean = {0.5, 0.4, 0.3};
        metadata.std = {0.2, 0.25, 0.3};
        metadata.inputScale = 255;
        exportTorchScript(graph, *model, metadata, path("meta.pt"));
        torch::jit::ExtraFilesMap extra{{"netdraft.json", ""}};
        torch::jit::load(path("meta.pt"), torch::kCPU, extra);
        const ExportMetadata read = ExportMetadata::fromJson(extra["netdraft.json"], "meta.pt");
        QCOMPARE(read.classNames, metadata.classNames);
        QCOMPARE(read.inputShape, (std::vector<int64_t>{3, 32, 32}));
        QCOMPARE(read.mean, metadata.mean);
        QCOMPARE(read.std, metadata.std);
        QCOMPARE(read.inputScale, 255.0);
        QCOMPARE(read.netdraftVersion, std::string(kNetdraftVersion));
        QVERIFY(!read.normalizationFolded);
    }

    void foldedNormalisationTakesRawInput()
    {
        const Graph graph = netdraft::tests::classicCnn(true);
        GraphModel model = buildModel(graph, 2);
        model->eval();
        ExportMetadata metadata = metadataFromGraph(graph);
        metadata.inputScale = 255;
        metadata.mean = {0.5, 0.4, 0.3};
        metadata.std = {0.2, 0.25, 0.3};
        TorchScriptExportOptions options;
        options.foldNormalization = true;
        exportTorchScript(graph, *model, metadata, path("folded.pt"), options);
        LoadedTorchScript loaded = loadTorchScriptFile(path("folded.pt"));
        QVERIFY(loaded.metadata && loaded.metadata->normalizationFolded);
        torch::NoGradGuard noGrad;
        torch::Tensor raw = torch::randint(0, 256, {2, 3, 32, 32}).to(torch::kFloat32);
        torch::Tensor mean = torch::tensor({0.5, 0.4, 0.3}).reshape({3, 1, 1});
        torch::Tensor std = torch::tensor({0.2, 0.25, 0.3}).reshape({3, 1, 1});
        torch::Tensor expected = model->forward((raw / 255 - mean) / std);
        torch::Tensor actual = loaded.module.forward({raw}).toTensor();
        QVERIFY((actual - expected).abs().max().item<double>() <= 1e-5);
    }

    void blockIdsThatArePythonKeywords()
    {
        GraphBuilder builder;
        builder.input({6}).then("Linear", {{"out_features", int64_t(4)}}, "lambda").then("ReLU", {}, "torch");
        builder.then("Linear", {{"out_features", int64_t(3)}}, "x").output();
        expectSameOutputs(builder.graph(), "keywords.pt");
    }

    void unsupportedLayerIsRefusedByName()
    {
        if (!LayerRegistry::instance().find("ExportTestNotExportable"))
            LayerRegistry::instance().add(std::make_unique<NotExportableLayer>());
        GraphBuilder builder;
        builder.input({6}).then("ExportTestNotExportable", {}, "odd").then("Linear", {{"out_features", int64_t(2)}}, "fc");
        builder.output();
        GraphModel model = buildModel(builder.graph());
        // An existing file stays untouched when the export fails.
        {
            std::ofstream old(path("refused.pt"), std::ios::binary);
            old << "old contents";
        }
        try {
            exportTorchScript(builder.graph(), *model, metadataFromGraph(builder.graph()), path("refused.pt"));
            QFAIL("exported a layer without TorchScript");
        } catch (const Error& error) {
            const std::string message = error.what();
            QVERIFY2(message.find("block odd (ExportTestNotExportable)") != std::string::npos, message.c_str());
        }
        QCOMPARE(readAll(path("refused.pt")), std::string("old contents"));
    }

    void unwritableFolderGivesError()
    {
        const Graph graph = netdraft::tests::classicCnn(true);
        GraphModel model = buildModel(graph);
        const std::string target = path("no/such/folder/model.pt");
        try {
            exportTorchScript(graph, *model, metadataFromGraph(graph), target);
            QFAIL("wrote into a missing folder");
        } catch (const Error& error) {
            QVERIFY2(std::string(error.what()).find(target) != std::string::npos, error.what());
        }
    }
};

NETDRAFT_TEST(TorchScriptExportTest);
#include "TorchScriptExportTest.moc"
