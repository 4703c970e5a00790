// Composite blocks in the editor: group and ungroup as undoable commands, opening a composite to edit
// its definition (every instance follows, undo goes back inside), the library, the palette section,
// and the minimap.

#include "editor/BlockItem.h"
#include "editor/CompositeLibrary.h"
#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "editor/Minimap.h"
#include "editor/PortItem.h"
#include "editor/commands/Connect.h"
#include "editor/commands/SetParameter.h"
#include "engine/io/ProjectFormat.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QAction>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <algorithm>
#include <sstream>

using namespace netdraft;
using namespace netdraft::editor;

namespace {

/// Blocks and connections as sorted lines: graphs compare regardless of order (grouping then
/// ungrouping appends the inner blocks where the instance was and their connections at the end).
std::vector<std::string> sortedContents(const engine::Graph& graph)
{
    std::vector<std::string> lines;
    for (const engine::Block& block : graph.blocks()) {
        std::ostringstream line;
        line << block.id << " " << block.type << " at " << block.position.x << "," << block.position.y << " with "
             << block.params.size() << " params";
        lines.push_back(line.str());
    }
    for (const engine::Connection& connection : graph.connections())
        lines.push_back(engine::describeConnection(connection));
    std::sort(lines.begin(), lines.end());
    return lines;
}

std::string outputShape(const GraphDocument& document, const std::string& id)
{
    const engine::BlockInference* info = document.inference().find(id);
    return info && info->output ? info->output->toString() : "(none)";
}

/// A canvas on the classic CNN with conv1 and relu1 grouped into ConvLayer (instance convlayer1).
struct GroupedCanvas {
    GraphDocument document { tests::classicCnnProject(true) };
    GraphScene scene { document };
    GraphView view { &scene };
    QString instance;

    GroupedCanvas()
    {
        view.resize(1000, 700);
        scene.selectBlocks({ "conv1", "relu1" });
        instance = scene.groupSelection("ConvLayer");
    }
};

} // namespace

class CompositeEditingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void groupMakesOneInstanceWithTheSameShape()
    {
        GroupedCanvas canvas;
        QCOMPARE(canvas.instance, QString("convlayer1"));
        const engine::Graph& graph = canvas.document.graph();
        QVERIFY(graph.findComposite("ConvLayer"));
        QVERIFY(!graph.findBlock("conv1"));
        QCOMPARE(graph.block("convlayer1").type, std::string("ConvLayer"));
        QCOMPARE(outputShape(canvas.document, "convlayer1"), std::string("N\u00d732\u00d732\u00d732"));
        QCOMPARE(outputShape(canvas.document, "fc"), std::string("N\u00d710"));
        QVERIFY(canvas.scene.blockItem("convlayer1"));
        QVERIFY(!canvas.scene.blockItem("conv1"));
        QCOMPARE(canvas.scene.selectedBlockIds(), QStringList { "convlayer1" });
    }

    void groupThenUngroupGivesTheOriginalGraph()
    {
        GroupedCanvas canvas;
        const engine::Graph original = tests::classicCnnProject(true).graph;
        canvas.scene.selectBlocks({ canvas.instance });
        QCOMPARE(canvas.scene.ungroupSelection(), 1);
        // Equal up to the order of blocks and connections; positions are equal while the instance stays put.
        QCOMPARE(sortedContents(canvas.document.graph()), sortedContents(original));
        QVERIFY(!engine::inferShapes(canvas.document.graph()).hasErrors());
    }

    void undoRedoOfGroupAndUngroupGivesIdenticalJson()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        const std::string before = engine::serializeProject(document.project());
        scene.selectBlocks({ "conv2", "relu2", "pool2" });
        const QString instance = scene.groupSelection("Stage");
        QVERIFY(!instance.isEmpty());
        const std::string grouped = engine::serializeProject(document.project());
        scene.selectBlocks({ instance });
        QCOMPARE(scene.ungroupSelection(), 1);
        const std::string ungrouped = engine::serializeProject(document.project());
        QVERIFY(grouped != before && ungrouped != grouped);

        document.undoStack()->undo();
        QCOMPARE(engine::serializeProject(document.project()), grouped);
        document.undoStack()->undo();
        QCOMPARE(engine::serializeProject(document.project()), before);
        document.undoStack()->redo();
        QCOMPARE(engine::serializeProject(document.project()), grouped);
        document.undoStack()->redo();
        QCOMPARE(engine::serializeProject(document.project()), ungrouped);
    }

    void refusedGroupLeavesNoStep()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        QSignalSpy messages(&scene, &GraphScene::statusMessage);
        scene.selectBlocks({ "input", "conv1" });
        QVERIFY(scene.groupSelection("Bad").isEmpty());
        QCOMPARE(document.undoStack()->count(), 0);
        QCOMPARE(messages.count(), 1);
        QVERIFY(messages.front().front().toString().contains("Input block cannot be part of a composite"));
    }

    void editingInsideChangesEveryInstance()
    {
        GroupedCanvas canvas;
        GraphDocument& document = canvas.document;
        // A second instance, fed by the first.
        const QString second = document.addBlock("ConvLayer", { 0, 500 });
        QCOMPARE(second, QString("convlayer2"));
        document.push(new commands::Connect(document, { { "convlayer1", "out" }, { "convlayer2", "in" } }));
        QCOMPARE(outputShape(document, "convlayer2"), std::string("N\u00d732\u00d732\u00d732"));

        QSignalSpy scopes(&document, &GraphDocument::scopeChanged);
        canvas.scene.selectBlocks({ "convlayer2" });
        QVERIFY(canvas.scene.openSelectedComposite());
        QCOMPARE(document.scope(), QString("ConvLayer"));
        QCOMPARE(scopes.count(), 1);
        QVERIFY(canvas.scene.blockItem("conv1") && canvas.scene.blockItem("relu1"));
        QVERIFY(!canvas.scene.blockItem("fc"));
        QVERIFY(canvas.view.breadcrumb()->isVisible() || !canvas.view.isVisible());
        QCOMPARE(canvas.view.breadcrumb()->text(), QString("\u25C0 Project  \u203A  ConvLayer"));
        // The inner ports behind the composite's ports show as connected, saying so on hover.
        QVERIFY(canvas.scene.blockItem("conv1")->inputPort("in")->isConnected());
        QCOMPARE(canvas.scene.blockItem("conv1")->inputPort("in")->toolTip(),
            QString("fed by the composite's input 'in'"));
        QVERIFY(canvas.scene.blockItem("relu1")->outputPort("out")->isConnected());
        // Inside, blocks show the shapes of the first instance's context.
        QCOMPARE(outputShape(document, "conv1"), std::string("N\u00d732\u00d732\u00d732"));

        document.push(new commands::SetParameter(document, "conv1", "out_channels", int64_t(16)));
        QCOMPARE(outputShape(document, "conv1"), std::string("N\u00d716\u00d732\u00d732"));
        const auto& params = document.project().graph.findComposite("ConvLayer")->blocks[0].params;
        QCOMPARE(std::get<int64_t>(params.at("out_channels")), int64_t(16));

        document.closeComposite();
        QCOMPARE(document.scope(), QString());
        QVERIFY(canvas.scene.blockItem("fc"));
        QCOMPARE(outputShape(document, "convlayer1"), std::string("N\u00d716\u00d732\u00d732"));
        QCOMPARE(outputShape(document, "convlayer2"), std::string("N\u00d716\u00d732\u00d732"));

        // Undo goes back inside the composite, where the change was made.
        document.undoStack()->undo();
        QCOMPARE(document.scope(), QString("ConvLayer"));
        QCOMPARE(std::get<int64_t>(document.project().graph.findComposite("ConvLayer")->blocks[0].params.at(
                     "out_channels")),
            int64_t(32));
    }

    void duplicateMakesAnotherInstance()
    {
        GroupedCanvas canvas;
        canvas.scene.selectBlocks({ canvas.instance });
        canvas.scene.duplicateSelection();
        const engine::Block* copy = canvas.document.graph().findBlock("convlayer2");
        QVERIFY(copy);
        QCOMPARE(copy->type, std::string("ConvLayer"));
        QVERIFY(copy->params.empty());
        QCOMPARE(canvas.document.graph().composites().size(), size_t(1)); // the copy shares the definition
    }

    void doubleClickOpensAndBreadcrumbCloses()
    {
        GroupedCanvas canvas;
        canvas.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        BlockItem* item = canvas.scene.blockItem(canvas.instance);
        QVERIFY(item);
        const QPoint at = tests::viewportPoint(canvas.view, item->sceneBoundingRect().center());
        QTest::mouseDClick(canvas.view.viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(canvas.document.scope(), QString("ConvLayer"));
        QTRY_VERIFY(canvas.view.breadcrumb()->isVisible());
        QTest::mouseClick(canvas.view.breadcrumb(), Qt::LeftButton);
        QCOMPARE(canvas.document.scope(), QString());
        QVERIFY(!canvas.view.breadcrumb()->isVisible());
    }

    void libraryRoundTrip()
    {
        GroupedCanvas canvas;
        QTemporaryDir folder;
        const CompositeLibrary library(folder.path());
        canvas.scene.selectBlocks({ canvas.instance });
        QVERIFY(canvas.scene.saveCompositeToLibrary(library));
        QCOMPARE(library.names(), QStringList { "ConvLayer" });
        GraphDocument other(tests::classicCnnProject(false));
        QString error;
        const auto imported = library.importInto(other.graph(), "ConvLayer", &error);
        QVERIFY2(imported, qPrintable(error));
        // Equal as saved (parameters in their canonical form: padding 1 is written [1, 1]).
        engine::Project fromLibrary;
        fromLibrary.graph.addComposite(*imported->findComposite("ConvLayer"));
        engine::Project fromCanvas;
        fromCanvas.graph.addComposite(*canvas.document.graph().findComposite("ConvLayer"));
        QCOMPARE(engine::serializeProject(fromLibrary), engine::serializeProject(fromCanvas));
        QVERIFY(!library.load("Missing", &error));
        QVERIFY(error.contains("Missing.json"));
    }

    void minimapShowsTheVisibleRectangleAndMovesTheView()
    {
        GroupedCanvas canvas;
        canvas.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        QAction* toggle = canvas.view.action("minimap");
        QVERIFY(toggle && toggle->isCheckable());
        QVERIFY(!canvas.view.minimap()->isVisible());
        toggle->trigger();
        QVERIFY(canvas.view.minimap()->isVisible());
        const QRect corner = canvas.view.minimap()->geometry();
        QVERIFY(corner.right() > canvas.view.width() / 2 && corner.bottom() > canvas.view.height() / 2);
        canvas.view.resetTransform();
        canvas.view.centerOn(0, 0);
        // Click on the right end of the graph (the fc block) in the overview: the view centres there.
        const QPointF target = canvas.scene.blockItem("fc")->sceneBoundingRect().center();
        canvas.view.minimap()->refit();
        QTest::mouseClick(canvas.view.minimap()->viewport(), Qt::LeftButton, {},
            canvas.view.minimap()->mapFromScene(target));
        const QPointF centre = canvas.view.mapToScene(canvas.view.viewport()->rect().center());
        QVERIFY2(QLineF(centre, target).length() < 40,
            qPrintable(QString("view centre %1,%2, wanted %3,%4").arg(centre.x()).arg(centre.y()).arg(target.x()).arg(target.y())));
        QVERIFY(canvas.view.minimap()->visibleSceneRect().contains(target));
        toggle->trigger();
        QVERIFY(!canvas.view.minimap()->isVisible());
    }
};

NETDRAFT_TEST(CompositeEditingTest);
#include "CompositeEditingTest.moc"
