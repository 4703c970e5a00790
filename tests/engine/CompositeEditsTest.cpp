// Edits of composite definitions as pure functions on the project's graph (engine/graph/CompositeEditing
// and grouping inside a composite): uses, port repair after removing inner blocks, renaming and deleting
// definitions and ports, merging pasted definitions, closures and free names.

#include "engine/core/Error.h"
#include "engine/graph/CompositeEditing.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/graph/CompositeGrouping.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/inference/ShapeInference.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <algorithm>

using namespace netdraft::engine;

namespace {

using Names = std::vector<std::string>;

/// input → conv1 → relu1 → conv2 → relu2 → pool → flatten → fc → output, with conv1+relu1 grouped into
/// ConvLayer (instance enc1), and enc1+pool grouped into Stage (instance stage1); conv2+relu2 is a
/// second ConvLayer instance, enc2, at the top level.
Graph nestedGraph()
{
    const ParamMap conv { { "out_channels", int64_t(8) }, { "padding", IntList { 1, 1 } } };
    GraphBuilder builder;
    builder.input({ 3, 8, 8 })
        .then("Conv2d", conv, "conv1")
        .then("ReLU", {}, "relu1")
        .then("MaxPool2d", {}, "pool")
        .then("Conv2d", conv, "conv2")
        .then("ReLU", {}, "relu2")
        .then("Flatten", {}, "flatten")
        .then("Linear", { { "out_features", int64_t(10) } }, "fc")
        .output();
    Graph graph = groupBlocks(builder.graph(), { "conv1", "relu1" }, "ConvLayer", "enc1");
    graph = groupBlocks(graph, { "enc1", "pool" }, "Stage", "stage1");
    const Graph second = groupBlocks(graph, { "conv2", "relu2" }, "Other", "enc2");
    // enc2 becomes a ConvLayer: same inner ids and ports as ConvLayer.
    Graph result;
    for (const CompositeDefinition& definition : graph.composites())
        result.addComposite(definition);
    for (Block block : second.blocks()) {
        if (block.id == "enc2")
            block.type = "ConvLayer";
        result.addBlock(block);
    }
    for (const Connection& connection : second.connections())
        result.connect(connection);
    return result;
}

/// Whether every port of every definition points at a real inner port and inference finds no error.
bool isSound(const Graph& graph)
{
    return expandComposites(graph).problems.empty() && !inferShapes(graph).hasErrors();
}

template <typename Edit> QString refusal(Edit edit)
{
    try {
        edit();
    } catch (const Error& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

bool connected(const Graph& graph, const PortRef& from, const PortRef& to)
{
    const auto& all = graph.connections();
    return std::find(all.begin(), all.end(), Connection { from, to }) != all.end();
}

} // namespace

class CompositeEditsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fixtureIsSound()
    {
        const Graph graph = nestedGraph();
        QVERIFY(isSound(graph));
        QCOMPARE(graph.block("enc2").type, std::string("ConvLayer"));
    }

    void usesNameTopLevelAndNestedInstances()
    {
        const Graph graph = nestedGraph();
        QCOMPARE(compositeUses(graph, "ConvLayer"), Names({ "enc2", "Stage/enc1" }));
        QCOMPARE(compositeUses(graph, "Stage"), Names({ "stage1" }));
    }

    void removingTheBlockBehindAnInputRemovesThePortEverywhere()
    {
        const Graph graph = nestedGraph();
        const PortRepair repair = portRepairFor(graph, "ConvLayer", { "conv1" });
        QCOMPARE(repair.removedInputs, Names({ "in" }));
        QVERIFY(repair.removedOutputs.empty());
        const Graph result = removeInnerBlocks(graph, "ConvLayer", { "conv1" });
        const CompositeDefinition& layer = *result.findComposite("ConvLayer");
        QVERIFY(!layer.findInput("in"));
        QCOMPARE(layer.blocks.size(), size_t(1));
        QVERIFY(!result.connectionInto({ "enc2", "in" })); // top-level instance disconnected
        // Stage exposed enc1.in as its own input: it goes in turn, and so does stage1's connection.
        QVERIFY(!result.findComposite("Stage")->findInput("in"));
        QVERIFY(!result.connectionInto({ "stage1", "in" }));
        QVERIFY(expandComposites(result).problems.empty());
    }

    void removingTheBlockBehindAnOutputRemovesIt()
    {
        const Graph graph = nestedGraph();
        const Graph result = removeInnerBlocks(graph, "ConvLayer", { "relu1" });
        QVERIFY(!result.findComposite("ConvLayer")->findOutput("out"));
        QVERIFY(result.findComposite("ConvLayer")->findInput("in"));
        QVERIFY(result.connectionsFrom("enc2").empty());
        QVERIFY(expandComposites(result).problems.empty());
    }

    void removingOneOfSeveralTargetsNarrowsTheInput()
    {
        Graph graph;
        CompositeDefinition fan;
        fan.name = "Fan";
        fan.blocks = { { "a", "ReLU", "", {}, { 0, 0 } }, { "b", "ReLU", "", {}, { 0, 100 } } };
        fan.inputs = { { "in", { { "a", "in" }, { "b", "in" } } } };
        fan.outputs = { { "a", { "a", "out" } }, { "b", { "b", "out" } } };
        graph.addComposite(fan);
        const PortRepair repair = portRepairFor(graph, "Fan", { "a" });
        QCOMPARE(repair.narrowedInputs, Names({ "in" }));
        QCOMPARE(repair.removedOutputs, Names({ "a" }));
        const Graph result = removeInnerBlocks(graph, "Fan", { "a" });
        const CompositeDefinition& after = *result.findComposite("Fan");
        QCOMPARE(after.inputs, std::vector<CompositeInput>({ { "in", { { "b", "in" } } } }));
        QCOMPARE(after.outputNames(), Names({ "b" }));
        QVERIFY(portRepairFor(graph, "Fan", {}).empty());
    }

    void removingAMissingBlockThrows()
    {
        QVERIFY(refusal([] { removeInnerBlocks(nestedGraph(), "ConvLayer", { "nothing" }); }).contains("nothing"));
        QVERIFY(refusal([] { removeInnerBlocks(nestedGraph(), "Missing", { "conv1" }); }).contains("Missing"));
    }

    void renamingADefinitionRenamesEveryInstance()
    {
        const Graph graph = nestedGraph();
        const Graph result = renameComposite(graph, "ConvLayer", "Block");
        QVERIFY(!result.findComposite("ConvLayer"));
        QCOMPARE(result.block("enc2").type, std::string("Block"));
        QCOMPARE(result.findComposite("Stage")->blocks.front().type, std::string("Block"));
        // The order of definitions is kept.
        QCOMPARE(result.composites().front().name, std::string("Block"));
        QVERIFY(isSound(result));
        QCOMPARE(renameComposite(result, "Block", "ConvLayer").composites(), graph.composites());
    }

    void renamingADefinitionIsRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("reason");
        QTest::newRow("layer type") << "Linear"
                                    << "is a layer type";
        QTest::newRow("taken") << "Stage"
                               << "already exists";
        QTest::newRow("not an identifier") << "9lives"
                                           << "must be an identifier";
    }

    void renamingADefinitionIsRefused()
    {
        QFETCH(QString, name);
        QFETCH(QString, reason);
        const QString why = refusal([&] { renameComposite(nestedGraph(), "ConvLayer", name.toStdString()); });
        QVERIFY2(why.contains(reason), qPrintable(why));
    }

    void deletingAUsedDefinitionIsRefusedUntilUngrouped()
    {
        const Graph graph = nestedGraph();
        QString why = refusal([&] { removeCompositeDefinition(graph, "ConvLayer"); });
        QVERIFY2(why.contains("enc2, Stage/enc1"), qPrintable(why));
        why = refusal([&] { ungroupAndRemoveComposite(graph, "ConvLayer"); });
        QVERIFY2(why.contains("Stage/enc1"), qPrintable(why));
        // Unused: gone at once. Used at the top level only: ungrouped, then gone.
        Graph withUnused = graph;
        withUnused.addComposite(CompositeDefinition { "Unused", "", {}, {}, {}, {} });
        QVERIFY(!removeCompositeDefinition(withUnused, "Unused").findComposite("Unused"));
        const Graph ungrouped = ungroupAndRemoveComposite(graph, "Stage");
        QVERIFY(!ungrouped.findComposite("Stage"));
        QVERIFY(ungrouped.findBlock("enc1"));
        QVERIFY(ungrouped.findBlock("pool"));
        QVERIFY(isSound(ungrouped));
    }

    void renamingAPortFollowsConnectionsAndExposingPorts()
    {
        const Graph graph = nestedGraph();
        const Graph result = renameCompositePort(graph, "ConvLayer", true, "in", "features");
        QCOMPARE(result.findComposite("ConvLayer")->inputNames(), Names({ "features" }));
        QVERIFY(result.connectionInto({ "enc2", "features" }));
        // Stage's input pointed at enc1.in.
        QCOMPARE(
            result.findComposite("Stage")->findInput("in")->targets, std::vector<PortRef>({ { "enc1", "features" } }));
        QVERIFY(isSound(result));
        const Graph output = renameCompositePort(graph, "ConvLayer", false, "out", "y");
        QCOMPARE(output.connectionsFrom("enc2").front().from.port, std::string("y"));
        QVERIFY(isSound(output));
        QCOMPARE(renameCompositePort(graph, "ConvLayer", true, "in", "in").composites(), graph.composites());
    }

    void renamingAPortIsRefused()
    {
        const Graph graph = nestedGraph();
        QVERIFY(
            refusal([&] { renameCompositePort(graph, "ConvLayer", true, "x", "y"); }).contains("no input port 'x'"));
        QVERIFY(refusal([&] { renameCompositePort(graph, "ConvLayer", false, "out", "1x"); }).contains("identifier"));
        QVERIFY(refusal([&] { renameCompositePort(graph, "Missing", true, "in", "y"); }).contains("Missing"));
    }

    void mergingReusesIdenticalAndRenamesDifferentDefinitions()
    {
        const Graph graph = nestedGraph();
        std::vector<CompositeDefinition> incoming = compositeClosure(graph, { "Stage" });
        QCOMPARE(incoming.size(), size_t(2));
        QCOMPARE(incoming.front().name, std::string("ConvLayer")); // nested ones first
        std::map<std::string, std::string> renamed;
        const Graph same = mergeComposites(graph, incoming, renamed);
        QVERIFY(renamed.empty());
        QCOMPARE(same.composites(), graph.composites());

        incoming.front().description = "changed";
        const Graph merged = mergeComposites(graph, incoming, renamed);
        QCOMPARE(renamed.at("ConvLayer"), std::string("ConvLayer2"));
        QCOMPARE(renamed.at("Stage"), std::string("Stage2")); // it uses the renamed one
        QCOMPARE(merged.findComposite("Stage2")->blocks.front().type, std::string("ConvLayer2"));
        // The same clash again reuses what the first merge made.
        std::map<std::string, std::string> again;
        const Graph twice = mergeComposites(merged, incoming, again);
        QCOMPARE(again.at("ConvLayer"), std::string("ConvLayer2"));
        QCOMPARE(twice.composites().size(), merged.composites().size());
    }

    void freeNamesSkipDefinitions()
    {
        Graph graph = nestedGraph();
        QCOMPARE(freeCompositeName(graph, "Stage"), std::string("Stage2"));
        graph.addComposite(CompositeDefinition { "Stage2", "", {}, {}, {}, {} });
        QCOMPARE(freeCompositeName(graph, "Stage"), std::string("Stage3"));
        QCOMPARE(freeCompositeName(graph, "Conv", 1), std::string("Conv1"));
    }

    void groupingInsideACompositeRetargetsItsPorts()
    {
        const Graph graph = nestedGraph();
        const Graph result = groupInsideComposite(graph, "ConvLayer", { "conv1", "relu1" }, "Inner", "inner1");
        const CompositeDefinition& outer = *result.findComposite("ConvLayer");
        QCOMPARE(outer.inputs, std::vector<CompositeInput>({ { "in", { { "inner1", "in" } } } }));
        QCOMPARE(outer.outputs, std::vector<CompositeOutput>({ { "out", { "inner1", "out" } } }));
        QCOMPARE(result.composites().back().name, std::string("Inner"));
        QVERIFY(isSound(result));
        const Graph back = ungroupInsideComposite(result, "ConvLayer", "inner1");
        QCOMPARE(back.findComposite("ConvLayer")->inputs, graph.findComposite("ConvLayer")->inputs);
        QCOMPARE(back.findComposite("ConvLayer")->outputs, graph.findComposite("ConvLayer")->outputs);
        QVERIFY(isSound(back));
        QVERIFY(refusal([&] { ungroupInsideComposite(graph, "ConvLayer", "conv1"); }).contains("not a composite"));
        QVERIFY(refusal([&] { groupInsideComposite(graph, "Missing", { "conv1" }, "X", "x1"); }).contains("Missing"));
    }
};

NETDRAFT_TEST(CompositeEditsTest);
#include "CompositeEditsTest.moc"
