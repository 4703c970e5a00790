// Editing composite definitions as a whole: deleting an inner block behind a port repairs the ports,
// renaming and deleting a definition (palette menu), renaming a port, and per-document port tables.

#include "editor/BlockItem.h"
#include "editor/ConnectionRules.h"
#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "editor/PortItem.h"
#include "editor/commands/Connect.h"
#include "editor/commands/DeleteComposite.h"
#include "editor/commands/Disconnect.h"
#include "editor/commands/RenameComposite.h"
#include "editor/commands/RenameCompositePort.h"
#include "engine/graph/CompositeEditing.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/io/ProjectFormat.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include "engine/core/Error.h"

#include <QSignalSpy>
#include <QTest>

using namespace netdraft;
using namespace netdraft::editor;

namespace {

/// The classic CNN with conv1 and relu1 grouped into ConvLayer (instance convlayer1), a second
/// instance convlayer2 fed by the first.
struct TwoInstances {
    GraphDocument document { tests::classicCnnProject(true) };
    GraphScene scene { document };

    TwoInstances()
    {
        scene.selectBlocks({ "conv1", "relu1" });
        scene.groupSelection("ConvLayer");
        scene.selectBlocks({});
    }
};

/// Whether expanding the project finds no structural problem (every port points at a real inner block).
bool compositesAreSound(const GraphDocument& document)
{
    return engine::expandComposites(document.project().graph).problems.empty();
}

/// ConvLayer (conv1, relu1) used at the top level (convlayer2) and inside Stage (convlayer1, pool1: stage1).
struct NestedUses {
    GraphDocument document { tests::classicCnnProject(true) };
    GraphScene scene { document };

    NestedUses()
    {
        scene.selectBlocks({ "conv1", "relu1" });
        scene.groupSelection("ConvLayer");
        scene.selectBlocks({ "convlayer1", "pool1" });
        scene.groupSelection("Stage");
        scene.selectBlocks({ "conv2", "relu2" });
        scene.groupSelection("Other");
        QCOMPARE(document.addBlock("ConvLayer", { 0, 600 }), QString("convlayer1")); // free again at the top
        document.undoStack()->clear();
    }
};

/// Pushes `make()`; returns the engine error's text when the command was refused, else empty.
template <typename Make> QString refusal(GraphDocument& document, Make make)
{
    try {
        document.push(make());
    } catch (const engine::Error& error) {
        return QString::fromUtf8(error.what());
    }
    return {};
}

bool hasConnectionInto(const engine::Graph& graph, const std::string& block, const std::string& port)
{
    return graph.connectionInto({ block, port }).has_value();
}

} // namespace

class CompositeDefinitionsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deletingTheInnerBlockBehindAPortRemovesThePort_data()
    {
        QTest::addColumn<QString>("inner");
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("inputLeft");
        QTest::addColumn<bool>("outputLeft");
        QTest::newRow("input side") << "conv1"
                                    << "ConvLayer lost its input port 'in' (disconnected: convlayer1.in)" << false
                                    << true;
        QTest::newRow("output side") << "relu1"
                                     << "ConvLayer lost its output port 'out' (disconnected: convlayer1.out)" << true
                                     << false;
    }

    void deletingTheInnerBlockBehindAPortRemovesThePort()
    {
        QFETCH(QString, inner);
        QFETCH(QString, message);
        QFETCH(bool, inputLeft);
        QFETCH(bool, outputLeft);
        TwoInstances canvas;
        GraphDocument& document = canvas.document;
        QVERIFY(hasConnectionInto(document.graph(), "convlayer1", "in"));
        const std::string before = tests::projectJson(document);
        document.openComposite("ConvLayer");
        QSignalSpy messages(&canvas.scene, &GraphScene::statusMessage);
        canvas.scene.selectBlocks({ inner });
        canvas.scene.deleteSelection();

        const engine::CompositeDefinition* definition = document.project().graph.findComposite("ConvLayer");
        QVERIFY(definition);
        QCOMPARE(definition->blocks.size(), size_t(1));
        QCOMPARE(definition->findInput("in") != nullptr, inputLeft);
        QCOMPARE(definition->findOutput("out") != nullptr, outputLeft);
        QCOMPARE(document.scope(), QString("ConvLayer")); // still inside
        QVERIFY(!canvas.scene.blockItem(inner));
        QVERIFY(compositesAreSound(document));
        QCOMPARE(messages.count(), 1);
        QCOMPARE(messages.front().front().toString(), message);
        const std::string after = tests::projectJson(document);

        // One undo step back to the identical project, and redo to the identical repair.
        document.undoStack()->undo();
        QCOMPARE(tests::projectJson(document), before);
        QVERIFY(canvas.scene.blockItem(inner));
        document.undoStack()->redo();
        QCOMPARE(tests::projectJson(document), after);
        document.closeComposite();
        QCOMPARE(hasConnectionInto(document.graph(), "convlayer1", "in"), inputLeft);
        QCOMPARE(canvas.scene.blockItem("convlayer1")->inputPorts().size(), size_t(inputLeft ? 1 : 0));
        QCOMPARE(canvas.scene.blockItem("convlayer1")->outputPorts().size(), size_t(outputLeft ? 1 : 0));
    }

    void anInputPortWithAnotherTargetKeepsIt()
    {
        engine::Project project = tests::classicCnnProject(true);
        GraphDocument document(project);
        GraphScene scene(document);
        scene.selectBlocks({ "conv1", "relu1" });
        scene.groupSelection("ConvLayer");
        // A second inner block fed by the same input port.
        engine::Graph graph = document.project().graph;
        engine::CompositeDefinition definition = *graph.findComposite("ConvLayer");
        engine::Block side = definition.blocks.front();
        side.id = "side";
        definition.blocks.push_back(side);
        const_cast<engine::CompositeInput&>(*definition.findInput("in")).targets.push_back({ "side", "in" });
        graph.replaceComposite(definition);
        project.graph = graph;
        document.resetProject(project);
        QVERIFY(compositesAreSound(document));

        document.openComposite("ConvLayer");
        scene.selectBlocks({ "side" });
        QSignalSpy messages(&scene, &GraphScene::statusMessage);
        scene.deleteSelection();
        const engine::CompositeInput* input = document.project().graph.findComposite("ConvLayer")->findInput("in");
        QVERIFY(input);
        QCOMPARE(input->targets.size(), size_t(1));
        QCOMPARE(input->targets.front().block, std::string("conv1"));
        QVERIFY(compositesAreSound(document));
        QCOMPARE(messages.count(), 1);
        QVERIFY(messages.front().front().toString().contains("input port 'in' feeds fewer inner blocks"));
        document.closeComposite();
        QVERIFY(hasConnectionInto(document.graph(), "convlayer1", "in"));
    }

    void renamingADefinitionRenamesEveryInstance()
    {
        NestedUses canvas;
        GraphDocument& document = canvas.document;
        const std::string before = tests::projectJson(document);
        QSignalSpy composites(&document, &GraphDocument::compositesChanged);
        QCOMPARE(refusal(document, [&] { return new commands::RenameComposite(document, "ConvLayer", "Block"); }),
            QString());
        const engine::Graph& graph = document.project().graph;
        QVERIFY(!graph.findComposite("ConvLayer"));
        QVERIFY(graph.findComposite("Block"));
        QCOMPARE(graph.composites().front().name, std::string("Block")); // keeps its place
        QCOMPARE(graph.block("convlayer1").type, std::string("Block"));
        QCOMPARE(graph.findComposite("Stage")->blocks.front().type, std::string("Block"));
        QVERIFY(compositesAreSound(document));
        QVERIFY(composites.count() >= 1);
        QCOMPARE(canvas.scene.blockItem("convlayer1")->inputPorts().size(), size_t(1)); // still drawn with its ports
        QCOMPARE(document.undoStack()->count(), 1);
        tests::checkUndoRedo(document, before);
    }

    void renameRefusals_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("reason");
        QTest::newRow("layer type") << "Conv2d"
                                    << "is a layer type";
        QTest::newRow("taken") << "Stage"
                               << "already exists";
        QTest::newRow("not an identifier") << "two words"
                                           << "must be an identifier";
    }

    void renameRefusals()
    {
        QFETCH(QString, name);
        QFETCH(QString, reason);
        NestedUses canvas;
        const std::string before = tests::projectJson(canvas.document);
        const QString why = refusal(canvas.document,
            [&] { return new commands::RenameComposite(canvas.document, "ConvLayer", name.toStdString()); });
        QVERIFY2(why.contains(reason), qPrintable(why));
        QCOMPARE(canvas.document.undoStack()->count(), 0);
        QCOMPARE(tests::projectJson(canvas.document), before);
    }

    void renamingTheOpenCompositeKeepsItOpenAndUndoes()
    {
        NestedUses canvas;
        GraphDocument& document = canvas.document;
        const std::string before = tests::projectJson(document);
        document.openComposite("ConvLayer");
        QSignalSpy scopes(&document, &GraphDocument::scopeChanged);
        document.push(new commands::RenameComposite(document, "ConvLayer", "Block"));
        QCOMPARE(document.scope(), QString("Block"));
        QCOMPARE(scopes.count(), 1);
        QVERIFY(canvas.scene.blockItem("conv1")); // still inside
        const std::string after = tests::projectJson(document);
        document.undoStack()->undo();
        QCOMPARE(tests::projectJson(document), before);
        QCOMPARE(document.scope(), QString("ConvLayer"));
        QVERIFY(canvas.scene.blockItem("conv1"));
        document.undoStack()->redo();
        QCOMPARE(tests::projectJson(document), after);
        QCOMPARE(document.scope(), QString("Block"));
        document.closeComposite();
        document.undoStack()->undo(); // from the project's graph: reopens where the change happened
        QCOMPARE(tests::projectJson(document), before);
        QCOMPARE(document.scope(), QString("ConvLayer"));
    }

    void aNestedInstanceShowsItsShapesInsideTheOpenDefinition()
    {
        NestedUses nested;
        nested.document.openComposite("Stage");
        QVERIFY(tests::waitForShapes(nested.scene));
        // convlayer1 (ConvLayer inside Stage) stands for conv1 → relu1 of the classic CNN.
        const engine::BlockInference* info = nested.document.inference().find("convlayer1");
        QVERIFY(info && info->output);
        QCOMPARE(info->output->toString(), std::string("N\u00d732\u00d732\u00d732"));
        QCOMPARE(nested.document.inference().find("pool1")->output->toString(), std::string("N\u00d732\u00d716\u00d716"));
        QCOMPARE(nested.scene.blockItem("convlayer1")->bodyLines().back(), QString("N\u00d732\u00d732\u00d732"));
    }

    void deletingAUsedDefinitionIsRefusedNamingTheUses()
    {
        NestedUses canvas;
        GraphDocument& document = canvas.document;
        const std::string before = tests::projectJson(document);
        QString why = refusal(document, [&] { return new commands::DeleteComposite(document, "ConvLayer"); });
        QVERIFY2(why.contains("composite ConvLayer is still used by convlayer1, Stage/convlayer1"), qPrintable(why));
        // Ungrouping cannot reach inside Stage.
        why = refusal(document, [&] { return new commands::DeleteComposite(document, "ConvLayer", true); });
        QVERIFY2(why.contains("used inside other composites: Stage/convlayer1"), qPrintable(why));
        QCOMPARE(document.undoStack()->count(), 0);
        QCOMPARE(tests::projectJson(document), before);
    }

    void deletingWithUngroupKeepsTheBlocks()
    {
        NestedUses canvas;
        GraphDocument& document = canvas.document;
        const std::string before = tests::projectJson(document);
        QCOMPARE(refusal(document, [&] { return new commands::DeleteComposite(document, "Other", true); }), QString());
        const engine::Graph& graph = document.project().graph;
        QVERIFY(!graph.findComposite("Other"));
        QVERIFY(!graph.findBlock("other1"));
        QVERIFY(graph.findBlock("conv2") && graph.findBlock("relu2"));
        QVERIFY(graph.connectionInto({ "conv2", "in" }));
        QCOMPARE(graph.connectionInto({ "pool2", "in" })->from.block, std::string("relu2"));
        QCOMPARE(document.undoStack()->count(), 1);
        tests::checkUndoRedo(document, before);
    }

    void deletingAnUnusedDefinition()
    {
        NestedUses canvas;
        GraphDocument& document = canvas.document;
        document.push(new commands::DeleteComposite(document, "Other", true));
        document.undoStack()->clear();
        // Other is gone; Stage is used once at the top: ungroup it first, then delete the now unused Stage.
        canvas.scene.selectBlocks({ "stage1" });
        QCOMPARE(canvas.scene.ungroupSelection(), 1);
        const std::string before = tests::projectJson(document);
        QCOMPARE(refusal(document, [&] { return new commands::DeleteComposite(document, "Stage"); }), QString());
        QVERIFY(!document.project().graph.findComposite("Stage"));
        QVERIFY(document.project().graph.findComposite("ConvLayer"));
        tests::checkUndoRedo(document, before);
    }

    void twoDocumentsKeepTheirOwnDefinitionsOfOneName()
    {
        // A: ConvLayer = conv1 → relu1 with ports in/out. B: ConvLayer = conv2 → relu2 → pool2, input "features".
        GraphDocument first(tests::classicCnnProject(true));
        GraphScene firstScene(first);
        firstScene.selectBlocks({ "conv1", "relu1" });
        QCOMPARE(firstScene.groupSelection("ConvLayer"), QString("convlayer1"));
        GraphDocument second(tests::classicCnnProject(true));
        GraphScene secondScene(second);
        secondScene.selectBlocks({ "conv2", "relu2", "pool2" });
        QCOMPARE(secondScene.groupSelection("ConvLayer"), QString("convlayer1"));
        engine::Project renamedPort = second.project();
        renamedPort.graph = engine::renameCompositePort(renamedPort.graph, "ConvLayer", true, "in", "features");
        second.resetProject(renamedPort); // made and shown after the first document

        // Each scene draws its own definition's ports and summary.
        BlockItem* firstItem = firstScene.blockItem("convlayer1");
        BlockItem* secondItem = secondScene.blockItem("convlayer1");
        QVERIFY(firstItem->inputPort("in") && !firstItem->inputPort("features"));
        QVERIFY(secondItem->inputPort("features") && !secondItem->inputPort("in"));
        QVERIFY(firstItem->bodyLines().contains("inside Conv2d \u2192 ReLU"));
        QVERIFY(secondItem->bodyLines().contains("inside Conv2d \u2192 ReLU \u2192 MaxPool2d"));
        QVERIFY(firstItem->inputPort("in")->isConnected());
        // Connection rules ask each document too.
        const engine::Connection intoIn { { "input", "out" }, { "convlayer1", "in" } };
        QCOMPARE(
            whyCannotConnect(second.graph(), intoIn), std::optional<QString>(QString("convlayer1 has no input 'in'")));
        // An edit in the first document refreshes only its own items.
        first.openComposite("ConvLayer");
        first.closeComposite();
        QVERIFY(firstScene.blockItem("convlayer1")->inputPort("in"));
        QVERIFY(secondScene.blockItem("convlayer1")->inputPort("features"));
    }

    void renamingAPortFollowsEveryConnection_data()
    {
        QTest::addColumn<bool>("input");
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::newRow("input") << true << "in"
                               << "features";
        QTest::newRow("output") << false << "out"
                                << "activations";
    }

    void renamingAPortFollowsEveryConnection()
    {
        QFETCH(bool, input);
        QFETCH(QString, from);
        QFETCH(QString, to);
        NestedUses canvas;
        GraphDocument& document = canvas.document;
        // The top-level instance convlayer1 gets connections on both ports; inside Stage, convlayer1 has them.
        const std::string source = document.graph().connectionInto({ "stage1", "in" })->from.block;
        document.push(new commands::Disconnect(document, *document.graph().connectionInto({ "stage1", "in" })));
        document.push(new commands::Connect(document, { { source, "out" }, { "convlayer1", "in" } }));
        document.push(new commands::Connect(document, { { "convlayer1", "out" }, { "stage1", "in" } }));
        document.undoStack()->clear();
        const std::string before = tests::projectJson(document);
        document.openComposite("Stage"); // the port's owner is nested here: the open composite stays open
        document.push(
            new commands::RenameCompositePort(document, "ConvLayer", input, from.toStdString(), to.toStdString()));
        QCOMPARE(document.scope(), QString("Stage"));

        const engine::Graph& graph = document.project().graph;
        const engine::CompositeDefinition& convLayer = *graph.findComposite("ConvLayer");
        QCOMPARE(
            input ? convLayer.inputNames() : convLayer.outputNames(), std::vector<std::string> { to.toStdString() });
        const engine::PortRef renamedPort { "convlayer1", to.toStdString() };
        bool topFollows = false, nestedFollows = false;
        for (const engine::Connection& c : graph.connections())
            topFollows = topFollows || (input ? c.to == renamedPort : c.from == renamedPort);
        const engine::CompositeDefinition& stage = *graph.findComposite("Stage");
        if (input) // inside Stage, convlayer1's input is fed by Stage's own input port
            nestedFollows = stage.findInput("in")->targets == std::vector<engine::PortRef> { renamedPort };
        else
            for (const engine::Connection& c : stage.connections)
                nestedFollows = nestedFollows || c.from == renamedPort;
        QVERIFY(topFollows);
        QVERIFY(nestedFollows);
        QVERIFY(compositesAreSound(document));
        QVERIFY(!engine::inferShapes(graph).hasErrors());
        BlockItem* nested = canvas.scene.blockItem("convlayer1"); // inside Stage
        QVERIFY(
            input ? nested->inputPort(to.toStdString()) != nullptr : nested->outputPort(to.toStdString()) != nullptr);
        QCOMPARE(document.undoStack()->count(), 1);
        tests::checkUndoRedo(document, before);
    }

    void portRenameRefusals()
    {
        NestedUses canvas;
        GraphDocument& document = canvas.document;
        QString why = refusal(
            document, [&] { return new commands::RenameCompositePort(document, "ConvLayer", true, "x", "y"); });
        QVERIFY2(why.contains("has no input port 'x'"), qPrintable(why));
        why = refusal(
            document, [&] { return new commands::RenameCompositePort(document, "ConvLayer", false, "out", "1st"); });
        QVERIFY2(why.contains("must be an identifier"), qPrintable(why));
        QCOMPARE(document.undoStack()->count(), 0);
    }

    void aPortLostInsideANestedUseGoesInTurn()
    {
        NestedUses canvas;
        GraphDocument& document = canvas.document;
        QVERIFY(hasConnectionInto(document.graph(), "stage1", "in"));
        const std::string before = tests::projectJson(document);
        document.openComposite("ConvLayer");
        QSignalSpy messages(&canvas.scene, &GraphScene::statusMessage);
        canvas.scene.selectBlocks({ "conv1" });
        canvas.scene.deleteSelection();
        const engine::Graph& graph = document.project().graph;
        QVERIFY(!graph.findComposite("ConvLayer")->findInput("in"));
        QVERIFY(!graph.findComposite("Stage")->findInput("in")); // it pointed at convlayer1.in
        QVERIFY(!hasConnectionInto(graph, "stage1", "in"));
        QVERIFY(compositesAreSound(document));
        QCOMPARE(messages.count(), 1);
        QCOMPARE(messages.front().front().toString(),
            QString("ConvLayer lost its input port 'in'; in turn Stage lost its input port 'in' (disconnected: "
                    "stage1.in)"));
        QCOMPARE(document.undoStack()->count(), 1);
        tests::checkUndoRedo(document, before);
    }
};

NETDRAFT_TEST(CompositeDefinitionsTest);
#include "CompositeDefinitionsTest.moc"
