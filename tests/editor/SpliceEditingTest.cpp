// Splicing and replacing without overlapping blocks (issue 16 item 5): a block inserted into a
// connection makes room (the blocks after it step aside), an unconnected block dragged onto a
// connection is spliced in (the connection lights up while it hovers), a connection dropped on a
// connected input replaces the old one, and Delete and Reconnect bridges a removed block. Each is one
// undo step that gives back exactly the project before it.

#include "editor/BlockGeometry.h"
#include "editor/BlockItem.h"
#include "editor/ConnectionItem.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "editor/MimeTypes.h"
#include "editor/PortItem.h"
#include "editor/QuickAddPopup.h"
#include "engine/graph/GraphBuilder.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QAction>
#include <QGraphicsPathItem>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>
#include <set>

using namespace netdraft;
using namespace netdraft::editor;

namespace {

using Canvas = tests::ShownCanvas;

/// input → relu1 → relu2 in a row 50 px apart, relu2 → relu3 in the row below, a loose relu4 below.
engine::Graph rowGraph()
{
    engine::GraphBuilder builder;
    builder.input({ 8 }).then("ReLU", {}, "relu1").then("ReLU", {}, "relu2").then("ReLU", {}, "relu3");
    builder.add("ReLU", {}, "relu4");
    engine::Graph graph = builder.graph();
    graph.block("input").position = { 0, 0 };
    graph.block("relu1").position = { 220, 0 };
    graph.block("relu2").position = { 440, 0 };
    graph.block("relu3").position = { 440, 300 };
    graph.block("relu4").position = { 100, 300 };
    return graph;
}

/// The canvas rectangle of each block, from the block geometry the items are drawn with.
std::map<std::string, QRectF> blockRects(const engine::Graph& graph)
{
    std::map<std::string, QRectF> rects;
    for (const engine::Block& block : graph.blocks())
        rects[block.id] = QRectF(QPointF(block.position.x, block.position.y), geometry::blockSize(block, graph));
    return rects;
}

/// "a overlaps b" for each pair of blocks closer than `clearance`, empty when none is.
QString overlaps(const engine::Graph& graph, double clearance = 20)
{
    QStringList found;
    const auto rects = blockRects(graph);
    for (auto a = rects.begin(); a != rects.end(); ++a)
        for (auto b = std::next(a); b != rects.end(); ++b)
            if (a->second.adjusted(-clearance / 2, -clearance / 2, clearance / 2, clearance / 2)
                    .intersects(b->second.adjusted(-clearance / 2, -clearance / 2, clearance / 2, clearance / 2)))
                found << QStringLiteral("%1 overlaps %2")
                             .arg(QString::fromStdString(a->first), QString::fromStdString(b->first));
    return found.join(QStringLiteral("; "));
}

std::set<std::string> connectionSet(const engine::Graph& graph)
{
    std::set<std::string> described;
    for (const engine::Connection& connection : graph.connections())
        described.insert(engine::describeConnection(connection));
    return described;
}

/// The splice previews the scene draws.
std::vector<const QGraphicsPathItem*> splicePreviews(const GraphScene& scene)
{
    std::vector<const QGraphicsPathItem*> previews;
    for (const QGraphicsItem* item : scene.items())
        if (item->data(0).toString() == QLatin1String("spliceHover"))
            previews.push_back(qgraphicsitem_cast<const QGraphicsPathItem*>(item));
    return previews;
}

int glowCount(const GraphScene& scene)
{
    return int(splicePreviews(scene).size());
}

/// The id of the one block of `graph` that `before` did not have.
std::string addedBlock(const engine::Graph& before, const engine::Graph& graph)
{
    for (const engine::Block& block : graph.blocks())
        if (!before.findBlock(block.id))
            return block.id;
    return {};
}

} // namespace

class SpliceEditingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void insertingIntoAWireMakesRoom_data()
    {
        QTest::addColumn<QString>("gesture");
        QTest::newRow("palette drop") << "drop";
        QTest::newRow("quick add") << "quick add";
    }

    void insertingIntoAWireMakesRoom()
    {
        QFETCH(QString, gesture);
        Canvas canvas(rowGraph());
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        const engine::Graph before = canvas.document.graph();
        const std::string beforeJson = tests::projectJson(canvas.document);
        const engine::Connection wire = *before.connectionInto({ "relu1", "in" });
        const QPointF middle = canvas.middleOf(wire);
        if (gesture == "drop") {
            QMimeData mime;
            mime.setData(kLayerTypeMimeType, "Dropout");
            QVERIFY(tests::dropOnView(canvas.view, middle, mime));
        } else {
            canvas.view.centerOn(middle); // where quick add opens when the cursor is off the view
            QCursor::setPos(canvas.view.viewport()->mapToGlobal(tests::viewportPoint(canvas.view, middle)));
            canvas.view.openQuickAdd();
            QTest::keyClicks(canvas.view.quickAddPopup()->searchField(), "Dropout");
            QTest::keyClick(canvas.view.quickAddPopup()->searchField(), Qt::Key_Return);
        }
        const engine::Graph& graph = canvas.document.graph();
        const std::string added = addedBlock(before, graph);
        QCOMPARE(graph.block(added).type, std::string("Dropout"));
        QCOMPARE(graph.connectionInto({ added, "in" })->from.block, std::string("input"));
        QCOMPARE(graph.connectionInto({ "relu1", "in" })->from.block, added);
        // Nothing overlaps (the drop point was between two blocks 50 px apart)...
        QVERIFY2(overlaps(before).isEmpty(), qPrintable(overlaps(before)));
        QVERIFY2(overlaps(graph).isEmpty(), qPrintable(overlaps(graph)));
        // ... the new block sits after its source, and the row after it moved as one...
        QVERIFY(graph.block(added).position.x > before.block("input").position.x);
        QVERIFY(graph.block("relu1").position.x > before.block("relu1").position.x);
        QCOMPARE(graph.block("relu2").position.x - graph.block("relu1").position.x,
            before.block("relu2").position.x - before.block("relu1").position.x);
        QCOMPARE(graph.block("relu1").position.y, before.block("relu1").position.y);
        // ... while the row below and blocks elsewhere stay where they were.
        QVERIFY(graph.block("relu3").position == before.block("relu3").position);
        QVERIFY(graph.block("relu4").position == before.block("relu4").position);
        QVERIFY(graph.block("input").position == before.block("input").position);
        // The items show the document's positions.
        QCOMPARE(canvas.scene.blockItem("relu1")->pos(),
            QPointF(graph.block("relu1").position.x, graph.block("relu1").position.y));
        tests::checkUndoRedo(canvas.document, beforeJson, 1);
    }

    void insertingIntoAWireThatRunsDownPushesDown()
    {
        engine::GraphBuilder builder;
        builder.input({ 8 }).then("ReLU", {}, "relu1").then("ReLU", {}, "relu2");
        engine::Graph start = builder.graph();
        start.block("input").position = { 0, 0 };
        start.block("relu1").position = { 0, 120 };
        start.block("relu2").position = { 0, 240 };
        Canvas canvas(start, { 1100, 600 }, { 100, 200 });
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        const std::string beforeJson = tests::projectJson(canvas.document);
        const QString id
            = canvas.scene.addBlockAt("Dropout", canvas.middleOf(*start.connectionInto({ "relu1", "in" })));
        const engine::Graph& graph = canvas.document.graph();
        QCOMPARE(graph.connectionInto({ "relu1", "in" })->from.block, id.toStdString());
        QVERIFY2(overlaps(graph).isEmpty(), qPrintable(overlaps(graph)));
        const auto rects = blockRects(graph);
        QVERIFY(rects.at(id.toStdString()).top() > rects.at("input").bottom());
        QVERIFY(rects.at("relu1").top() > rects.at(id.toStdString()).bottom());
        QCOMPARE(graph.block("relu1").position.x, 0.0); // straight down, the column kept
        QCOMPARE(graph.block("relu2").position.y - graph.block("relu1").position.y, 120.0);
        tests::checkUndoRedo(canvas.document, beforeJson, 1);
    }

    /// Every wire of the classic CNN (blocks 30 px apart in one row) takes a spliced block without
    /// any two blocks overlapping. NETDRAFT_SCREENSHOTS=folder keeps a picture of one splice.
    void splicingEveryWireOfTheClassicCnnLeavesNoOverlap()
    {
        const engine::Graph cnn = tests::classicCnn(true);
        for (const engine::Connection& wire : cnn.connections()) {
            Canvas canvas(cnn);
            QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
            const QString id = canvas.scene.addBlockAt("Dropout", canvas.middleOf(wire));
            const engine::Graph& graph = canvas.document.graph();
            const QString described = QString::fromStdString(engine::describeConnection(wire));
            QVERIFY2(graph.connectionInto({ id.toStdString(), "in" })
                    == std::optional(engine::Connection { wire.from, { id.toStdString(), "in" } }),
                qPrintable(described));
            QVERIFY2(overlaps(graph).isEmpty(), qPrintable(described + ": " + overlaps(graph)));
            if (wire.to.block != "relu2")
                continue;
            if (const QString folder = qEnvironmentVariable("NETDRAFT_SCREENSHOTS"); !folder.isEmpty()) {
                QVERIFY(tests::waitForShapes(canvas.scene));
                canvas.view.resize(1300, 420);
                canvas.view.fitToView();
                QVERIFY(canvas.view.grab().save(folder + QStringLiteral("/splice-classic-cnn.png")));
            }
        }
    }

    void draggingALooseBlockOntoAWireSplicesIt()
    {
        Canvas canvas(rowGraph());
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        const engine::Graph before = canvas.document.graph();
        const std::string beforeJson = tests::projectJson(canvas.document);
        const engine::Connection wire = *before.connectionInto({ "relu2", "in" });
        BlockItem* item = canvas.scene.blockItem("relu4");
        const QPointF grab = item->scenePos() + QPointF(60, 12); // the header
        const QPointF drop = canvas.middleOf(wire) + (grab - item->sceneBoundingRect().center());
        QWidget* viewport = canvas.view.viewport();
        const QPoint start = tests::viewportPoint(canvas.view, grab);
        const QPoint end = tests::viewportPoint(canvas.view, drop);
        QTest::mousePress(viewport, Qt::LeftButton, Qt::NoModifier, start);
        QTest::mouseMove(viewport, start + (end - start) / 2);
        QVERIFY(!canvas.scene.spliceHover()); // on the way, over no wire
        QCOMPARE(glowCount(canvas.scene), 0);
        QTest::mouseMove(viewport, end);
        // Hovering: the wire lights up (a glow drawn with it) and nothing has changed yet.
        QVERIFY(canvas.scene.spliceHover() == std::optional(wire));
        QCOMPARE(glowCount(canvas.scene), 1);
        // The preview runs from relu1's output to relu2's input, through relu4.
        const QRectF preview = splicePreviews(canvas.scene).front()->path().boundingRect().adjusted(-1, -1, 1, 1);
        for (const QPointF port : { canvas.out("relu1"), canvas.in("relu2"), canvas.in("relu4"), canvas.out("relu4") })
            QVERIFY(preview.contains(port));
        QCOMPARE(canvas.document.undoStack()->count(), 0);
        if (const QString folder = qEnvironmentVariable("NETDRAFT_SCREENSHOTS"); !folder.isEmpty())
            QVERIFY(canvas.view.grab().save(folder + QStringLiteral("/splice-hover.png")));
        QTest::mouseRelease(viewport, Qt::LeftButton, Qt::NoModifier, end);
        if (const QString folder = qEnvironmentVariable("NETDRAFT_SCREENSHOTS"); !folder.isEmpty()) {
            QVERIFY(tests::waitForShapes(canvas.scene));
            QVERIFY(canvas.view.grab().save(folder + QStringLiteral("/splice-dropped.png")));
        }
        QVERIFY(!canvas.scene.spliceHover());
        QCOMPARE(glowCount(canvas.scene), 0); // no highlight left behind
        const engine::Graph& graph = canvas.document.graph();
        QCOMPARE(graph.connectionInto({ "relu4", "in" })->from.block, std::string("relu1"));
        QCOMPARE(graph.connectionInto({ "relu2", "in" })->from.block, std::string("relu4"));
        QVERIFY2(overlaps(graph).isEmpty(), qPrintable(overlaps(graph)));
        QVERIFY(graph.block("relu1").position == before.block("relu1").position); // upstream stays
        QVERIFY(graph.block("relu3").position == before.block("relu3").position); // another row
        tests::checkUndoRedo(canvas.document, beforeJson, 1);
    }

    void draggingAConnectedBlockOverAWireOnlyMovesIt()
    {
        Canvas canvas(rowGraph());
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        const engine::Graph before = canvas.document.graph();
        const engine::Connection wire = *before.connectionInto({ "relu1", "in" });
        BlockItem* item = canvas.scene.blockItem("relu3");
        const QPointF grab = item->scenePos() + QPointF(60, 12);
        const QPointF drop = canvas.middleOf(wire) + (grab - item->sceneBoundingRect().center());
        QWidget* viewport = canvas.view.viewport();
        QTest::mousePress(viewport, Qt::LeftButton, Qt::NoModifier, tests::viewportPoint(canvas.view, grab));
        QTest::mouseMove(viewport, tests::viewportPoint(canvas.view, drop));
        QVERIFY(!canvas.scene.spliceHover());
        QCOMPARE(glowCount(canvas.scene), 0);
        QTest::mouseRelease(viewport, Qt::LeftButton, Qt::NoModifier, tests::viewportPoint(canvas.view, drop));
        QVERIFY(connectionSet(canvas.document.graph()) == connectionSet(before));
        QVERIFY(!(canvas.document.graph().block("relu3").position == before.block("relu3").position));
        QCOMPARE(canvas.document.undoStack()->count(), 1);
    }

    void droppingOnAConnectedInputReplacesItsConnection_data()
    {
        QTest::addColumn<bool>("onTheBody");
        QTest::newRow("on the port") << false;
        QTest::newRow("on the block") << true;
    }

    void droppingOnAConnectedInputReplacesItsConnection()
    {
        QFETCH(bool, onTheBody);
        Canvas canvas(rowGraph());
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        const std::string beforeJson = tests::projectJson(canvas.document);
        QSignalSpy messages(&canvas.scene, &GraphScene::statusMessage);
        const QPointF target
            = onTheBody ? canvas.scene.blockItem("relu2")->sceneBoundingRect().center() : canvas.in("relu2");
        tests::dragWithMouse(canvas.view, canvas.out("relu4"), target);
        const engine::Graph& graph = canvas.document.graph();
        QCOMPARE(graph.connectionsInto("relu2").size(), size_t(1));
        QCOMPARE(graph.connectionInto({ "relu2", "in" })->from.block, std::string("relu4"));
        QVERIFY(graph.connectionsFrom("relu1").empty());
        QVERIFY(canvas.scene.connectionItem({ { "relu4", "out" }, { "relu2", "in" } }));
        QVERIFY(!canvas.scene.connectionItem({ { "relu1", "out" }, { "relu2", "in" } }));
        QCOMPARE(messages.count(), 1);
        QVERIFY2(messages.front().front().toString().startsWith("Replaced relu1.out"),
            qPrintable(messages.front().front().toString()));
        tests::checkUndoRedo(canvas.document, beforeJson, 1);
    }

    void movingAConnectionEndOntoAConnectedInputReplacesIt()
    {
        Canvas canvas(rowGraph());
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        const std::string beforeJson = tests::projectJson(canvas.document);
        // relu1's input end (from input) picked up and dropped on relu3's input (fed by relu2).
        tests::dragWithMouse(canvas.view, canvas.in("relu1"), canvas.in("relu3"));
        const engine::Graph& graph = canvas.document.graph();
        QVERIFY(!graph.connectionInto({ "relu1", "in" }));
        QCOMPARE(graph.connectionsInto("relu3").size(), size_t(1));
        QCOMPARE(graph.connectionInto({ "relu3", "in" })->from.block, std::string("input"));
        QCOMPARE(graph.connections().size(), size_t(2)); // relu1 → relu2 and input → relu3
        tests::checkUndoRedo(canvas.document, beforeJson, 1);
    }

    void replacingThatWouldMakeACycleIsRefused()
    {
        Canvas canvas(rowGraph());
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        QSignalSpy messages(&canvas.scene, &GraphScene::statusMessage);
        const auto before = canvas.document.project();
        tests::dragWithMouse(canvas.view, canvas.out("relu2"), canvas.in("relu1"));
        QVERIFY(canvas.document.project() == before);
        QCOMPARE(canvas.document.undoStack()->count(), 0);
        QCOMPARE(messages.count(), 1);
        QVERIFY2(
            messages.front().front().toString().contains("cycle"), qPrintable(messages.front().front().toString()));
    }

    void deleteAndReconnectBridges_data()
    {
        QTest::addColumn<QStringList>("selected");
        QTest::addColumn<QString>("how");
        QTest::addColumn<QStringList>("expected");
        const QStringList oneBlock { "b.out \u2192 d.in", "input.out \u2192 b.in", "input.out \u2192 c.in" };
        QTest::newRow("one block, two consumers, Ctrl+Delete") << QStringList { "a" } << "keys" << oneBlock;
        QTest::newRow("one block, context menu") << QStringList { "a" } << "menu" << oneBlock;
        QTest::newRow("a chain of two") << QStringList { "a", "b" } << "action"
                                        << QStringList { "input.out \u2192 c.in", "input.out \u2192 d.in" };
        QTest::newRow("the last block: nothing to bridge")
            << QStringList { "d" } << "action"
            << QStringList { "a.out \u2192 b.in", "a.out \u2192 c.in", "input.out \u2192 a.in" };
    }

    /// input → a → b → d and a → c.
    void deleteAndReconnectBridges()
    {
        QFETCH(QStringList, selected);
        QFETCH(QString, how);
        QFETCH(QStringList, expected);
        engine::GraphBuilder builder;
        builder.input({ 8 }).then("ReLU", {}, "a").then("ReLU", {}, "b").then("ReLU", {}, "d");
        builder.add("ReLU", {}, "c").connect("a", "c");
        Canvas canvas(builder.graph());
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        const std::string beforeJson = tests::projectJson(canvas.document);
        canvas.view.activateWindow(); // shortcuts go to the active window (also under a real X server)
        QVERIFY(QTest::qWaitForWindowActive(&canvas.view));
        canvas.view.setFocus();
        canvas.scene.selectBlocks(selected);
        if (how == "keys") {
            QTest::keySequence(&canvas.view, QKeySequence(Qt::CTRL | Qt::Key_Delete));
        } else if (how == "menu") {
            const QPoint on = tests::viewportPoint(
                canvas.view, canvas.scene.blockItem(selected.front())->sceneBoundingRect().center());
            std::unique_ptr<QMenu> menu(canvas.view.contextMenuAt(on));
            QVERIFY(menu);
            QAction* entry = menu->actions().front();
            QCOMPARE(entry->text(), QString("Delete and Reconnect"));
            entry->trigger();
        } else {
            canvas.view.action("deleteReconnect")->trigger();
        }
        for (const QString& id : selected)
            QVERIFY(!canvas.document.graph().findBlock(id.toStdString()));
        QStringList connections;
        for (const std::string& described : connectionSet(canvas.document.graph()))
            connections << QString::fromStdString(described);
        QCOMPARE(connections, expected);
        for (const engine::Connection& connection : canvas.document.graph().connections())
            QVERIFY(canvas.scene.connectionItem(connection));
        tests::checkUndoRedo(canvas.document, beforeJson, 1);
    }

    void blocksWithSeveralInputsAreDeletedWithoutABridge()
    {
        engine::GraphBuilder builder;
        builder.input({ 8 }).then("ReLU", {}, "a").then("Add", {}, "add").then("ReLU", {}, "after");
        engine::Graph graph = builder.graph();
        const engine::Block& add = graph.block("add");
        const auto inputs = geometry::inputPorts(add, graph);
        QVERIFY(inputs.size() >= 2);
        graph.connect({ { "input", "out" }, { "add", inputs[1] } });
        Canvas canvas(graph);
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        const std::string beforeJson = tests::projectJson(canvas.document);
        QSignalSpy messages(&canvas.scene, &GraphScene::statusMessage);
        canvas.scene.selectBlocks({ "add" });
        QCOMPARE(canvas.scene.dissolveSelection(), 0);
        QVERIFY(!canvas.document.graph().findBlock("add"));
        QVERIFY(canvas.document.graph().connectionsInto("after").empty());
        QCOMPARE(messages.count(), 1);
        QVERIFY2(messages.front().front().toString().contains("Not reconnected: add"),
            qPrintable(messages.front().front().toString()));
        tests::checkUndoRedo(canvas.document, beforeJson, 1);
    }

    void plainDeleteStillLeavesTheGap()
    {
        Canvas canvas(rowGraph());
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        canvas.view.activateWindow(); // shortcuts go to the active window (also under a real X server)
        QVERIFY(QTest::qWaitForWindowActive(&canvas.view));
        canvas.view.setFocus();
        canvas.scene.selectBlocks({ "relu1" });
        QTest::keyClick(&canvas.view, Qt::Key_Delete);
        QVERIFY(!canvas.document.graph().findBlock("relu1"));
        QVERIFY(canvas.document.graph().connectionsInto("relu2").empty());
    }
};

NETDRAFT_TEST(SpliceEditingTest);
#include "SpliceEditingTest.moc"
