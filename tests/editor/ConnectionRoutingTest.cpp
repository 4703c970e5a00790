// Connections follow the blocks in their way (issue 16 item 4): a detour appears when a block grows
// into a connection (a rename widens it, more inputs make it taller) and straightens when its
// blocker moves away or is deleted, also through undo and redo and when the blocker is grouped into a
// composite and ungrouped. Each check strokes the connection's path and intersects it with the
// blocks' rectangles as the document and BlockGeometry place them (tests::blocksCrossed). The block
// index routing asks (BlockRectIndex) is checked against a scan of every rectangle.

#include "editor/BlockRectIndex.h"
#include "editor/ConnectionItem.h"
#include "editor/GraphScene.h"
#include "editor/commands/MoveBlocks.h"
#include "editor/commands/RenameBlock.h"
#include "editor/commands/SetParameter.h"
#include "engine/graph/GraphBuilder.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QRandomGenerator>
#include <QTest>
#include <QUndoStack>

#include <algorithm>

using namespace netdraft;
using namespace netdraft::editor;

namespace {

/// input → a → b with a loose ReLU "blocker"; a → b is the connection watched. Positions as given.
engine::Graph blockerGraph(engine::Point a, engine::Point b, engine::Point blocker, const char* blockerType = "ReLU")
{
    engine::GraphBuilder builder;
    builder.input({ 8 }).then("ReLU", {}, "a").then("ReLU", {}, "b");
    builder.add(blockerType, {}, "blocker");
    engine::Graph graph = builder.graph();
    graph.block("input").position = { a.x - 300, a.y };
    graph.block("a").position = a;
    graph.block("b").position = b;
    graph.block("blocker").position = blocker;
    return graph;
}

/// a, blocker and b in one row: the plain curve from a to b runs through the blocker.
engine::Graph rowWithBlocker()
{
    return blockerGraph({ 0, 0 }, { 600, 0 }, { 300, 0 });
}

const engine::Connection kWatched { { "a", "out" }, { "b", "in" } };

/// The plain curve between the watched connection's ports as the canvas places them now.
QPainterPath plainPath(const tests::ShownCanvas& canvas)
{
    return connectionPath(
        canvas.scene.portScenePosition(kWatched.from, false), canvas.scene.portScenePosition(kWatched.to, true));
}

/// The watched connection's path once the canvas has caught up with the last command.
QPainterPath routedPath(tests::ShownCanvas& canvas)
{
    QCoreApplication::processEvents(); // connections around changed blocks follow once the command is done
    ConnectionItem* item = canvas.scene.connectionItem(kWatched);
    return item ? item->path() : QPainterPath();
}

/// The watched connection runs clear of every block but its own, around the blocker.
void verifyDetourClear(tests::ShownCanvas& canvas)
{
    const QPainterPath path = routedPath(canvas);
    QCOMPARE(tests::blocksCrossed(canvas.document.graph(), kWatched, path), std::vector<std::string>());
    QCOMPARE(tests::blocksCrossed(canvas.document.graph(), kWatched, plainPath(canvas)),
        std::vector<std::string>({ "blocker" }));
    QVERIFY(path != plainPath(canvas));
}

/// The watched connection is the plain curve again, and that crosses no block.
void verifyStraight(tests::ShownCanvas& canvas)
{
    const QPainterPath path = routedPath(canvas);
    QCOMPARE(tests::blocksCrossed(canvas.document.graph(), kWatched, plainPath(canvas)), std::vector<std::string>());
    QVERIFY2(path == plainPath(canvas), "the detour stayed");
    QVERIFY(!canvas.scene.connectionItem(kWatched)->isDetour());
}

/// The smallest x of the plain curve between heights `top` and `bottom` (sampled finely).
double leftmostBetween(const QPainterPath& path, double top, double bottom)
{
    double left = std::numeric_limits<double>::infinity();
    for (int i = 0; i <= 2000; ++i) {
        const QPointF point = path.pointAtPercent(i / 2000.0);
        if (point.y() >= top && point.y() <= bottom)
            left = std::min(left, point.x());
    }
    return left;
}

} // namespace

class ConnectionRoutingTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void detourStraightensWhenTheBlockerMovesAway()
    {
        tests::ShownCanvas canvas(rowWithBlocker());
        QVERIFY(QTest::qWaitForWindowExposed(&canvas.view));
        verifyDetourClear(canvas);

        canvas.document.push(new commands::MoveBlocks(canvas.document, { { "blocker", { 300, 300 } } }));
        verifyStraight(canvas);
        canvas.document.undoStack()->undo();
        verifyDetourClear(canvas);
        canvas.document.undoStack()->redo();
        verifyStraight(canvas);
        canvas.document.undoStack()->undo();
        verifyDetourClear(canvas);

        // Dragged away by hand, and back into the way.
        const QPointF grip = canvas.scene.blockItem("blocker")->sceneBoundingRect().center();
        tests::dragWithMouse(canvas.view, grip, grip + QPointF(0, 260));
        QVERIFY(canvas.document.graph().block("blocker").position.y >= 200);
        verifyStraight(canvas);
        tests::dragWithMouse(canvas.view, grip + QPointF(0, 260), grip);
        verifyDetourClear(canvas);
    }

    void detourStraightensWhenTheBlockerIsDeleted()
    {
        tests::ShownCanvas canvas(rowWithBlocker());
        verifyDetourClear(canvas);
        canvas.scene.selectBlocks({ "blocker" });
        canvas.scene.deleteSelection();
        QVERIFY(!canvas.document.graph().findBlock("blocker"));
        verifyStraight(canvas);
        canvas.document.undoStack()->undo(); // the blocker is back where it was
        QVERIFY(canvas.document.graph().findBlock("blocker"));
        verifyDetourClear(canvas);
        canvas.document.undoStack()->redo();
        verifyStraight(canvas);
    }

    void groupingAndUngroupingTheBlockerKeepsTheConnectionClear()
    {
        tests::ShownCanvas canvas(rowWithBlocker());
        verifyDetourClear(canvas);
        canvas.scene.selectBlocks({ "blocker" });
        const QString instance = canvas.scene.groupSelection("Blocker");
        QVERIFY(!instance.isEmpty());
        QVERIFY(!canvas.document.graph().findBlock("blocker"));
        const engine::Graph& graph = canvas.document.graph();
        QCOMPARE(tests::blocksCrossed(graph, kWatched, routedPath(canvas)), std::vector<std::string>());
        if (tests::blocksCrossed(graph, kWatched, plainPath(canvas)).empty())
            QVERIFY2(routedPath(canvas) == plainPath(canvas), "a detour around nothing");

        canvas.scene.selectBlocks({ instance });
        QCOMPARE(canvas.scene.ungroupSelection(), 1);
        verifyDetourClear(canvas);
        canvas.document.undoStack()->undo(); // grouped again
        QCOMPARE(
            tests::blocksCrossed(canvas.document.graph(), kWatched, routedPath(canvas)), std::vector<std::string>());
        canvas.document.undoStack()->undo(); // before grouping
        verifyDetourClear(canvas);
    }

    void connectionReroutesWhenABlockWidensIntoIt()
    {
        // b a row lower: the S-curve from a to b runs down between them; the blocker sits just left of it.
        tests::ShownCanvas canvas(blockerGraph({ 0, 0 }, { 700, 400 }, { -2000, 200 }));
        QRectF blocker = tests::blockRectOf(canvas.document.graph(), canvas.document.graph().block("blocker"));
        const double right = leftmostBetween(plainPath(canvas), 200 - 4, 200 + blocker.height() + 4) - 10;
        QVERIFY(right - blocker.width() > 190); // clear of a's turn, so that a detour has room
        canvas.document.push(
            new commands::MoveBlocks(canvas.document, { { "blocker", { right - blocker.width(), 200 } } }));
        canvas.document.undoStack()->clear();
        verifyStraight(canvas);

        const std::string longName = "a block renamed at some length";
        canvas.document.push(new commands::RenameBlock(canvas.document, "blocker", longName));
        blocker = tests::blockRectOf(canvas.document.graph(), canvas.document.graph().block("blocker"));
        QVERIFY(blocker.width() >= 260); // BlockGeometry widens it for its title
        verifyDetourClear(canvas);
        canvas.document.undoStack()->undo();
        verifyStraight(canvas);
        canvas.document.undoStack()->redo();
        verifyDetourClear(canvas);
    }

    void connectionReroutesWhenABlockGrowsTallerIntoIt()
    {
        // An Add just above the row's connection; more inputs make it taller, down across the connection.
        tests::ShownCanvas canvas(blockerGraph({ 0, 0 }, { 700, 0 }, { 300, -2000 }, "Add"));
        const QRectF blocker = tests::blockRectOf(canvas.document.graph(), canvas.document.graph().block("blocker"));
        const double lineY = canvas.scene.portScenePosition(kWatched.from, false).y();
        canvas.document.push(
            new commands::MoveBlocks(canvas.document, { { "blocker", { 300, lineY - 10 - blocker.height() } } }));
        canvas.document.undoStack()->clear();
        verifyStraight(canvas);

        canvas.document.push(new commands::SetParameter(canvas.document, "blocker", "num_inputs", int64_t(12)));
        QVERIFY(tests::blockRectOf(canvas.document.graph(), canvas.document.graph().block("blocker")).bottom()
            > lineY + 40);
        verifyDetourClear(canvas); // at once, not only when the edit's inference refreshes every item
        QVERIFY(tests::waitForShapes(canvas.scene));
        verifyDetourClear(canvas);
        canvas.document.undoStack()->undo();
        verifyStraight(canvas);
        QVERIFY(tests::waitForShapes(canvas.scene));
        verifyStraight(canvas);
    }

    void blockIndexFindsWhatAScanFinds()
    {
        BlockRectIndex index;
        std::map<QString, QRectF> rects;
        QRandomGenerator random(16);
        auto someRect = [&] {
            return QRectF(random.bounded(-3000, 3000), random.bounded(-3000, 3000), random.bounded(20, 900),
                random.bounded(20, 700));
        };
        for (int i = 0; i < 400; ++i) {
            const QString id = QString::number(random.bounded(300));
            if (random.bounded(5) == 0) {
                QCOMPARE(index.remove(id), rects.count(id) ? rects[id] : QRectF());
                rects.erase(id);
            } else {
                const QRectF rect = someRect();
                QCOMPARE(index.place(id, rect), rects.count(id) ? rects[id] : QRectF());
                rects[id] = rect;
            }
        }
        for (int query = 0; query < 200; ++query) {
            const QRectF area = query % 4 ? someRect() : QRectF(random.bounded(-3000, 3000), 0, 0, 0);
            std::vector<QString> expected, found;
            for (const auto& [id, rect] : rects)
                if (rect.left() <= area.right() && area.left() <= rect.right() && rect.top() <= area.bottom()
                    && area.top() <= rect.bottom())
                    expected.push_back(id);
            for (const BlockRectIndex::Entry& block : index.blocksMeeting(area)) {
                QCOMPARE(block.rect, rects.at(block.id));
                found.push_back(block.id);
            }
            std::sort(found.begin(), found.end());
            QCOMPARE(found, expected);

            expected.clear();
            found.clear();
            for (const auto& [id, rect] : rects)
                if (rect.left() <= area.right() && area.left() <= rect.right())
                    expected.push_back(id);
            for (const BlockRectIndex::Entry& block : index.blocksInColumn(area.left(), area.right()))
                found.push_back(block.id);
            std::sort(found.begin(), found.end());
            QCOMPARE(found, expected);
        }
    }
};

NETDRAFT_TEST(ConnectionRoutingTest);
#include "ConnectionRoutingTest.moc"
