// Composite (reusable) blocks: grouping and ungrouping, expansion for inference, model building and
// export, edits of a definition reaching every instance, and the project file (format version 2).

#include <torch/torch.h>

#include "engine/export/ExportMetadata.h"
#include "engine/export/PythonModelExport.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/graph/CompositeGrouping.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "engine/io/ProjectFormat.h"
#include "engine/model/GraphModel.h"
#include "engine/train/GraphFingerprint.h"
#include "engine/train/GraphFingerprint.h"
#include "tests/support/KeptValues.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace netdraft::engine;

namespace {

/// input → conv1 → relu1 → conv2 → relu2 → flatten → fc → output; both convolutions 8 channels, 3×3, padding 1.
Graph flatGraph()
{
    const ParamMap conv{{"out_channels", int64_t(8)}, {"padding", IntList{1, 1}}};
    GraphBuilder builder;
    builder.input({3, 8, 8})
        .then("Conv2d", conv, "conv1")
        .then("ReLU", {}, "relu1")
        .then("Conv2d", conv, "conv2")
        .then("ReLU", {}, "relu2")
        .then("Flatten", {}, "flatten")
        .then("Linear", {{"out_features", int64_t(10)}}, "fc")
        .output();
    return builder.graph();
}

/// flatGraph() with conv1+relu1 grouped into ConvLayer (instance enc1) and conv2+relu2 replaced by a
/// second instance, enc2.
Graph compositeGraph()
{
    Graph graph = groupBlocks(flatGraph(), {"conv1", "relu1"}, "ConvLayer", "enc1");
    graph.removeBlock("conv2");
    graph.removeBlock("relu2");
    Block second{"enc2", "ConvLayer", "", {}, {300, 0}};
    graph.addBlock(second);
    graph.connect({{"enc1", "out"}, {"enc2", "in"}});
    graph.connect({{"enc2", "out"}, {"flatten", "in"}});
    return graph;
}

/// Blocks and connections as sorted text, so that graphs compare regardless of order.
std::vector<std::string> sortedContents(const Graph& graph)
{
    std::vector<std::string> lines;
    for (const Block& block : graph.blocks()) {
        std::ostringstream line;
        line << "block " << block.id << " " << block.type << " '" << block.name << "' at " << block.position.x << ","
             << block.position.y << " params " << block.params.size();
        lines.push_back(line.str());
    }
    for (const Connection& connection : graph.connections())
        lines.push_back("connection " + describeConnection(connection));
    std::sort(lines.begin(), lines.end());
    return lines;
}

std::string shapeText(const InferenceResult& inference, const std::string& id)
{
    const BlockInference* info = inference.find(id);
    return info && info->output ? info->output->toString() : "(none)";
}

void copyParameter(GraphModelImpl& to, const std::string& toName, GraphModelImpl& from, const std::string& fromName)
{
    torch::NoGradGuard noGrad;
    to.named_parameters()[toName].copy_(from.named_parameters()[fromName]);
}

} // namespace

class CompositeBlocksTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void groupingMakesPortsFromCrossingConnections()
    {
        const Graph grouped = groupBlocks(flatGraph(), {"conv1", "relu1"}, "ConvLayer", "enc1");
        const CompositeDefinition* definition = grouped.findComposite("ConvLayer");
        QVERIFY(definition);
        QCOMPARE(definition->blocks.size(), size_t(2));
        QCOMPARE(definition->connections.size(), size_t(1));
        QCOMPARE(definition->inputs.size(), size_t(1));
        QCOMPARE(definition->inputs[0].name, std::string("in"));
        QVERIFY((definition->inputs[0].targets == std::vector<PortRef>{{"conv1", "in"}}));
        QCOMPARE(definition->outputs.size(), size_t(1));
        QVERIFY(definition->outputs[0].source == (PortRef{"relu1", "out"}));
        QCOMPARE(grouped.blocks().size(), flatGraph().blocks().size() - 1);
        QVERIFY(grouped.connectionInto({"enc1", "in"}) == (Connection{{"input", "out"}, {"enc1", "in"}}));
        QVERIFY(grouped.connectionInto({"conv2", "in"}) == (Connection{{"enc1", "out"}, {"conv2", "in"}}));
        QVERIFY(grouped.block("enc1").params.empty()); // parameters stay inside the definition
    }

    void groupThenUngroupGivesTheOriginalGraph()
    {
        const Graph original = flatGraph();
        const Graph grouped = groupBlocks(original, {"conv1", "relu1", "conv2"}, "Stack", "stack1");
        const Graph ungrouped = ungroupBlock(grouped, "stack1");
        QCOMPARE(sortedContents(ungrouped), sortedContents(original)); // positions included
        QVERIFY(ungrouped.findComposite("Stack")); // the definition stays for other instances
        QVERIFY(inferShapes(ungrouped).problems().size() == inferShapes(original).problems().size());
    }

    void groupingRefusesInputAndOutput()
    {
        QVERIFY_THROWS_EXCEPTION(Error, groupBlocks(flatGraph(), {"input", "conv1"}, "Bad", "bad1"));
        QVERIFY_THROWS_EXCEPTION(Error, groupBlocks(flatGraph(), {"conv1"}, "Conv2d", "bad1")); // a layer type
    }

    void compositeGraphHasTheFlatGraphsShapes()
    {
        const InferenceResult flat = inferShapes(flatGraph());
        const InferenceResult composite = inferShapes(compositeGraph());
        QVERIFY2(!composite.hasErrors(), composite.problems().empty() ? "" : composite.problems()[0].toString().c_str());
        QCOMPARE(shapeText(composite, "enc1"), shapeText(flat, "relu1"));
        QCOMPARE(shapeText(composite, "enc2"), shapeText(flat, "relu2"));
        QCOMPARE(shapeText(composite, "enc2"), std::string("N\u00d78\u00d78\u00d78"));
        QCOMPARE(shapeText(composite, "fc"), shapeText(flat, "fc"));
        QCOMPARE(composite.find("enc2")->inputs.size(), size_t(1));
        QCOMPARE(composite.shapeOf({{"enc1", "out"}, {"enc2", "in"}})->toString(), shapeText(flat, "relu1"));
        // The expanded inner blocks are there too, under prefixed ids.
        QCOMPARE(shapeText(composite, "enc2__conv1"), shapeText(flat, "conv2"));
    }

    void compositeModelComputesWhatTheFlatModelComputes()
    {
        GraphModel flat = buildModel(flatGraph(), 3);
        GraphModel composite = buildModel(compositeGraph(), 5);
        QCOMPARE(composite->totalParameters(), flat->totalParameters());
        QCOMPARE(composite->parameterCounts().at("enc2"), flat->parameterCounts().at("conv2")); // conv + ReLU
        QCOMPARE(composite->parameterCounts().at("enc2"), composite->parameterCounts().at("enc2__conv1"));
        for (const char* parameter : {"weight", "bias"}) {
            copyParameter(*composite, std::string("enc1__conv1.") + parameter, *flat, std::string("conv1.") + parameter);
            copyParameter(*composite, std::string("enc2__conv1.") + parameter, *flat, std::string("conv2.") + parameter);
            copyParameter(*composite, std::string("fc.") + parameter, *flat, std::string("fc.") + parameter);
        }
        torch::manual_seed(2);
        const torch::Tensor input = torch::randn({2, 3, 8, 8});
        const torch::Tensor expected = flat->forward(input);
        const torch::Tensor actual = composite->forward(input);
        QCOMPARE(actual.sizes().vec(), (std::vector<int64_t>{2, 10}));
        QVERIFY(torch::allclose(actual, expected, 1e-5, 1e-6));
    }

    void editingTheDefinitionChangesEveryInstance()
    {
        Graph graph = compositeGraph();
        CompositeDefinition definition = *graph.findComposite("ConvLayer");
        definition.blocks[0].params["out_channels"] = int64_t(4);
        graph.replaceComposite(definition);
        const InferenceResult inference = inferShapes(graph);
        QCOMPARE(shapeText(inference, "enc1"), std::string("N\u00d74\u00d78\u00d78"));
        QCOMPARE(shapeText(inference, "enc2"), std::string("N\u00d74\u00d78\u00d78"));
        QCOMPARE(shapeText(inference, "fc"), std::string("N\u00d710"));
        QCOMPARE(buildModel(graph)->blockModule("enc2__conv1")->named_parameters()["weight"].sizes().vec(),
                 (std::vector<int64_t>{4, 4, 3, 3}));
    }

    void editingTheDefinitionChangesTheFingerprint()
    {
        // Checkpoints are matched to graphs by fingerprint: an edit inside a composite must count.
        Graph graph = compositeGraph();
        const std::string before = graphFingerprint(graph);
        CompositeDefinition definition = *graph.findComposite("ConvLayer");
        definition.blocks[0].params["out_channels"] = int64_t(4);
        graph.replaceComposite(definition);
        QVERIFY(graphFingerprint(graph) != before);
        QCOMPARE(graphFingerprint(graph), graphFingerprint(expandComposites(graph).graph));
    }

    void innerErrorsNameTheInstanceAndTheInnerBlock()
    {
        Graph graph = compositeGraph();
        CompositeDefinition definition = *graph.findComposite("ConvLayer");
        definition.blocks[0].params["kernel_size"] = IntList{20, 20};
        graph.replaceComposite(definition);
        const InferenceResult inference = inferShapes(graph);
        QVERIFY(inference.hasErrors());
        const std::vector<Problem> problems = inference.problems();
        QVERIFY(!problems.empty());
        QCOMPARE(problems[0].blockId, std::string("enc1"));
        QVERIFY2(problems[0].toString().rfind("block enc1: inside ConvLayer, block conv1: ", 0) == 0,
                 problems[0].toString().c_str());
        QVERIFY(problems[0].toString().find("kernel") != std::string::npos);
    }

    void unknownPortOfAnInstanceIsReported()
    {
        Graph graph = compositeGraph();
        graph.disconnect({{"enc2", "out"}, {"flatten", "in"}});
        graph.connect({{"enc2", "result"}, {"flatten", "in"}});
        const InferenceResult inference = inferShapes(graph);
        const auto& errors = inference.find("enc2")->errors;
        QVERIFY(std::find(errors.begin(), errors.end(), "block enc2 (ConvLayer) has no output port 'result'")
                != errors.end());
    }

    void aCompositeContainingItselfIsReported()
    {
        Graph graph = compositeGraph();
        CompositeDefinition definition = *graph.findComposite("ConvLayer");
        definition.blocks.push_back({"inner", "ConvLayer", "", {}, {}});
        graph.replaceComposite(definition);
        const InferenceResult inference = inferShapes(graph);
        QVERIFY(inference.hasErrors());
        const auto& errors = inference.find("enc1")->errors;
        QVERIFY(std::any_of(errors.begin(), errors.end(),
                            [](const std::string& e) { return e.find("contains itself") != std::string::npos; }));
    }

    void nestedCompositesExpand()
    {
        Graph graph = groupBlocks(compositeGraph(), {"enc1", "enc2"}, "DoubleConv", "body");
        const InferenceResult inference = inferShapes(graph);
        QVERIFY(!inference.hasErrors());
        QCOMPARE(shapeText(inference, "body"), std::string("N\u00d78\u00d78\u00d78"));
        QVERIFY(inference.find("body__enc2__conv1"));
        QCOMPARE(buildModel(graph)->totalParameters(), buildModel(flatGraph())->totalParameters());
    }

    void projectRoundTripIsByteIdentical()
    {
        Project project;
        project.name = "composite";
        project.graph = compositeGraph();
        const std::string text = serializeProject(project);
        QVERIFY(text.find("\"composites\"") != std::string::npos);
        const Project loaded = parseProject(text, "composite.netdraft");
        QVERIFY(loaded.graph == project.graph);
        QCOMPARE(serializeProject(loaded), text);
    }

    void goldenVersionTwoFileLoads()
    {
        const std::filesystem::path path
            = std::filesystem::path(NETDRAFT_SOURCE_DIR) / "tests/data/v2_composite_blocks.netdraft";
        const Project project = loadProjectFile(path.string());
        QCOMPARE(project.graph.composites().size(), size_t(1));
        QCOMPARE(project.graph.composites()[0].name, std::string("ConvLayer"));
        const InferenceResult inference = inferShapes(project.graph);
        QVERIFY(!inference.hasErrors());
        QCOMPARE(shapeText(inference, "enc2"), std::string("N\u00d78\u00d78\u00d78"));
        std::ifstream in(path, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        // Saving keeps every value the version 2 file held (and writes the current version).
        const std::string written = serializeProject(project);
        QCOMPARE(netdraft::tests::valuesNotKept(bytes.str(), written), std::string());
        QVERIFY(written.find("\"version\": " + std::to_string(kProjectFormatVersion) + ",") != std::string::npos);
    }

    void badCompositePortsAreLoadErrors()
    {
        Project project;
        project.graph = compositeGraph();
        std::string text = serializeProject(project);
        const std::string target = "\"to\": [\"conv1.in\"]";
        const size_t at = text.find(target);
        QVERIFY(at != std::string::npos);
        text.replace(at, target.size(), "\"to\": [\"conv9.in\"]");
        try {
            parseProject(text, "bad.netdraft");
            QFAIL("a composite port into a missing block was accepted");
        } catch (const ProjectLoadError& error) {
            QCOMPARE(error.problems().size(), size_t(1));
            QCOMPARE(error.problems()[0].toString(),
                     std::string("$.graph.composites[0].inputs[0].to: \"conv9.in\" is not an input port of a block inside"));
        }
    }

    void exportsRunTheExpandedGraph()
    {
        const Graph graph = compositeGraph();
        GraphModel model = buildModel(graph, 1);
        const std::string archive = torchScriptArchive(graph, *model, metadataFromGraph(graph)); // verifies outputs
        QVERIFY(archive.size() > 1000);
        const std::string python = pythonModelSource(graph, metadataFromGraph(graph), "weights.pt");
        QVERIFY(python.find("enc2__conv1") != std::string::npos);
    }
};

NETDRAFT_TEST(CompositeBlocksTest);
#include "CompositeBlocksTest.moc"
