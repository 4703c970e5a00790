// Auto-layout: ranks wrapped into rows shaped like the view, no overlapping blocks, connections
// (skip connections too) clear of the blocks they pass, Fit to View never below a readable zoom,
// one undo step.

#include "editor/AutoLayout.h"
#include "editor/BlockGeometry.h"
#include "editor/BlockItem.h"
#include "editor/ConnectionItem.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/io/ProjectFormat.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QRectF>
#include <QTest>

#include <set>

using namespace netdraft;
using namespace netdraft::editor;

namespace {

/// A branching graph: two towers from one input merged by a shared head; all stacked at one spot.
engine::Graph branchingGraph()
{
    engine::GraphBuilder builder;
    builder.input({ 3, 16, 16 }).then("Conv2d", {}, "a1").then("ReLU", {}, "a2").then("MaxPool2d", {}, "a3");
    builder.from("input").then("Conv2d", {}, "b1").then("ReLU", {}, "b2");
    builder.from("input").then("Flatten", {}, "c1").then("Linear", {}, "c2").output();
    engine::Graph graph = builder.graph();
    for (const engine::Block& block : std::vector<engine::Block>(graph.blocks()))
        graph.block(block.id).position = { 0, 0 };
    return graph;
}

/// Input, `count` - 2 layers alternating Conv2d and ReLU, Output: a chain of `count` blocks, stacked.
engine::Graph layoutChain(int count)
{
    engine::GraphBuilder builder;
    builder.input({ 3, 32, 32 });
    for (int i = 0; i < count - 2; ++i)
        builder.then(i % 2 ? "ReLU" : "Conv2d");
    builder.output();
    engine::Graph graph = builder.graph();
    for (const engine::Block& block : std::vector<engine::Block>(graph.blocks()))
        graph.block(block.id).position = { 0, 0 };
    return graph;
}

void verifyNoOverlap(const engine::Graph& graph, const std::map<std::string, engine::Point>& positions)
{
    const auto& blocks = graph.blocks();
    for (size_t i = 0; i < blocks.size(); ++i)
        for (size_t j = i + 1; j < blocks.size(); ++j)
            QVERIFY2(!tests::blockRectOf(graph, blocks[i], positions)
                          .intersects(tests::blockRectOf(graph, blocks[j], positions)),
                (blocks[i].id + " overlaps " + blocks[j].id).c_str());
}

QRectF boundsOf(const engine::Graph& graph, const std::map<std::string, engine::Point>& positions)
{
    QRectF bounds;
    for (const engine::Block& block : graph.blocks())
        bounds |= tests::blockRectOf(graph, block, positions);
    return bounds;
}

/// A canvas on `project` in a view of `size`, shown (offscreen) so that the viewport has its size.
struct LayoutCanvas {
    GraphDocument document;
    GraphScene scene { document };
    GraphView view { &scene };

    LayoutCanvas(const engine::Project& project, QSize size)
        : document(project)
    {
        view.resize(size);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
    }

    /// Auto-Layout as the menu does it; the connections around moved blocks follow once it is done.
    void layOut()
    {
        view.action("autoLayout")->trigger();
        QCoreApplication::processEvents();
    }
};

engine::Point positionOf(const engine::Graph& graph, const char* id)
{
    return graph.block(id).position;
}

engine::Project exampleProject(const QString& name)
{
    return engine::loadProjectFile(QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/%1").arg(name).toStdString());
}

} // namespace

class AutoLayoutTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void wideLayoutFlowsLeftToRightWithoutOverlap_data()
    {
        QTest::addColumn<bool>("branching");
        QTest::newRow("classic CNN") << false;
        QTest::newRow("branching, all blocks stacked") << true;
    }

    void wideLayoutFlowsLeftToRightWithoutOverlap()
    {
        QFETCH(bool, branching);
        const engine::Graph graph = branching ? branchingGraph() : tests::classicCnn(true);
        const auto positions = computeAutoLayout(graph, {}, 100.0); // a very wide view: one row
        QCOMPARE(positions.size(), graph.blocks().size());
        verifyNoOverlap(graph, positions);
        for (const engine::Connection& c : graph.connections())
            QVERIFY2(positions.at(c.to.block).x > positions.at(c.from.block).x, engine::describeConnection(c).c_str());
        for (const auto& [id, p] : positions) {
            QCOMPARE(p.x, geometry::snapToGrid(p.x));
            QCOMPARE(p.y, geometry::snapToGrid(p.y));
        }
    }

    void branchesStackInOneColumn()
    {
        const engine::Graph graph = branchingGraph();
        const auto positions = computeAutoLayout(graph);
        QCOMPARE(positions.at("a1").x, positions.at("b1").x);
        QCOMPARE(positions.at("a1").x, positions.at("c1").x);
        QCOMPARE(
            std::set<double>({ positions.at("a1").y, positions.at("b1").y, positions.at("c1").y }).size(), size_t(3));
        verifyNoOverlap(graph, positions);
    }

    void chainWrapsIntoRowsShapedLikeTheView_data()
    {
        QTest::addColumn<int>("blocks");
        QTest::addColumn<double>("aspectRatio");
        QTest::addColumn<int>("minimumRows");
        QTest::newRow("15 blocks, 16:9") << 15 << 16.0 / 9 << 2;
        QTest::newRow("15 blocks, 4:3") << 15 << 4.0 / 3 << 3;
        QTest::newRow("60 blocks, 16:9") << 60 << 16.0 / 9 << 6;
        QTest::newRow("60 blocks, 21:9") << 60 << 21.0 / 9 << 5;
    }

    void chainWrapsIntoRowsShapedLikeTheView()
    {
        QFETCH(int, blocks);
        QFETCH(double, aspectRatio);
        QFETCH(int, minimumRows);
        const engine::Graph graph = layoutChain(blocks);
        const auto positions = computeAutoLayout(graph, {}, aspectRatio);
        verifyNoOverlap(graph, positions);
        std::set<double> rows;
        for (const auto& [id, p] : positions)
            rows.insert(p.y);
        QVERIFY2(int(rows.size()) >= minimumRows, QByteArray::number(int(rows.size())) + " rows");
        const QRectF bounds = boundsOf(graph, positions);
        const double aspect = bounds.width() / bounds.height();
        QVERIFY2(aspect > aspectRatio / 2 && aspect < aspectRatio * 2, QByteArray::number(aspect));
        // Reading order: each block is right of its input in the same row, or in a later row.
        for (const engine::Connection& c : graph.connections()) {
            const engine::Point from = positions.at(c.from.block), to = positions.at(c.to.block);
            QVERIFY2(to.y > from.y || (to.y == from.y && to.x > from.x), engine::describeConnection(c).c_str());
        }
    }

    void rowsStayWithinTheViewsWidth_data()
    {
        QTest::addColumn<int>("blocks");
        QTest::addColumn<double>("maxRowWidth");
        QTest::addColumn<int>("rows");
        QTest::newRow("6 blocks fit one row") << 6 << 1800.0 << 1;
        QTest::newRow("15 blocks, three columns wide") << 15 << 900.0 << 5;
        QTest::newRow("15 blocks, narrower than two columns") << 15 << 300.0 << 8; // two a row all the same
    }

    void rowsStayWithinTheViewsWidth()
    {
        QFETCH(int, blocks);
        QFETCH(double, maxRowWidth);
        QFETCH(int, rows);
        const engine::Graph graph = layoutChain(blocks);
        const auto positions = computeAutoLayout(graph, {}, 16.0 / 9, maxRowWidth);
        verifyNoOverlap(graph, positions);
        std::set<double> tops;
        for (const auto& [id, p] : positions)
            tops.insert(p.y);
        QCOMPARE(int(tops.size()), rows);
        QVERIFY(boundsOf(graph, positions).width() <= std::max(maxRowWidth, 2 * geometry::kBlockWidth + 120));
    }

    void wideBlocksPushTheNextColumnAlong()
    {
        engine::Graph graph = layoutChain(15);
        const std::string wide = graph.blocks()[3].id;
        graph.block(wide).name = "a rather long name for a block, longer still";
        // Wider than a column and its gap: placed at a fixed pitch it would overlap the next column.
        QVERIFY(geometry::blockSize(graph.block(wide), graph).width() > geometry::kBlockWidth + 120);
        for (double aspectRatio : { 100.0, 16.0 / 9 })
            verifyNoOverlap(graph, computeAutoLayout(graph, {}, aspectRatio));
    }

    void rowsEndBetweenResidualBlocks_data()
    {
        QTest::addColumn<double>("aspectRatio");
        QTest::newRow("3:1") << 3.0; // at 16:9 fitting the view weighs more than a whole residual block
    }

    void rowsEndBetweenResidualBlocks()
    {
        // ResNet's skip connections span seven columns; rows end where only the main path crosses.
        QFETCH(double, aspectRatio);
        const engine::Project project = exampleProject("resnet_shapes.netdraft");
        const engine::Graph& graph = project.graph;
        const auto positions = computeAutoLayout(graph, {}, aspectRatio);
        verifyNoOverlap(graph, positions);
        for (const char* add : { "b1_add", "b2_add" })
            for (const engine::Connection& c : graph.connectionsInto(add))
                QVERIFY2(positions.at(c.from.block).y == positions.at(add).y,
                    ("the connection into " + c.to.block + "." + c.to.port + " wraps to another row").c_str());
    }

    void connectionsStayClearOfBlocks_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QSize>("viewSize");
        for (const char* file :
            { "resnet_shapes.netdraft", "classic_cnn.netdraft", "vit_shapes.netdraft", "conv_autoencoder.netdraft" }) {
            QTest::addRow("%s, 1100×620", file) << file << QSize(1100, 620);
            QTest::addRow("%s, 800×800", file) << file << QSize(800, 800);
            QTest::addRow("%s, 3000×400", file) << file << QSize(3000, 400);
        }
    }

    void connectionsStayClearOfBlocks()
    {
        QFETCH(QString, file);
        QFETCH(QSize, viewSize);
        LayoutCanvas canvas(exampleProject(file), viewSize);
        canvas.layOut();
        const engine::Graph& graph = canvas.document.graph();
        verifyNoOverlap(graph, {});
        for (const engine::Connection& c : graph.connections()) {
            ConnectionItem* item = canvas.scene.connectionItem(c);
            QVERIFY(item);
            const std::vector<std::string> crossed = tests::blocksCrossed(graph, c, item->path());
            if (!crossed.empty())
                QFAIL((engine::describeConnection(c) + " runs behind " + crossed.front()).c_str());
        }
    }

    void skipConnectionGoesAroundTheBlocksItSkips()
    {
        // One row: the plain curve from stem_relu to b1_add would run behind the whole residual branch.
        LayoutCanvas canvas(exampleProject("resnet_shapes.netdraft"), QSize(3000, 300));
        canvas.layOut();
        const engine::Graph& graph = canvas.document.graph();
        engine::Connection skip;
        for (const engine::Connection& c : graph.connectionsInto("b1_add"))
            if (c.from.block == "stem_relu")
                skip = c;
        QCOMPARE(skip.from.block, std::string("stem_relu"));
        ConnectionItem* item = canvas.scene.connectionItem(skip);
        const QPointF from = canvas.scene.portScenePosition(skip.from, false);
        const QPointF to = canvas.scene.portScenePosition(skip.to, true);
        QCOMPARE(positionOf(graph, "b1_add").y, positionOf(graph, "stem_relu").y);
        QCOMPARE(tests::blocksCrossed(graph, skip, connectionPath(from, to)).size(), size_t(5)); // b1_conv1 … b1_bn2
        QVERIFY(item->isDetour());
        QVERIFY(tests::blocksCrossed(graph, skip, item->path()).empty());

        // The unrelated fc dragged onto its lane sends it along another.
        const QPointF middle = item->path().pointAtPercent(0.5);
        const QSizeF fcSize = geometry::blockSize(graph.block("fc"), graph);
        canvas.scene.blockItem("fc")->setPos(middle - QPointF(fcSize.width() / 2, fcSize.height() / 2));
        QCoreApplication::processEvents(); // connections around moved blocks follow once the move is done
        engine::Graph moved = graph;
        moved.block("fc").position
            = { canvas.scene.blockItem("fc")->pos().x(), canvas.scene.blockItem("fc")->pos().y() };
        QCOMPARE(tests::blocksCrossed(moved, skip, item->path()), std::vector<std::string>());
        QVERIFY(item->isDetour());
    }

    void layoutInsideAnOpenComposite()
    {
        tests::GroupedCanvas grouped(true, { { { "conv1", "relu1", "pool1", "conv2", "relu2" }, "Features" } });
        grouped.document.openComposite("Features");
        GraphView view(&grouped.scene);
        view.resize(1100, 620);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.action("autoLayout")->trigger();
        QCoreApplication::processEvents();
        QCOMPARE(grouped.document.undoStack()->count(), 1);
        const engine::Graph& inner = grouped.document.graph();
        QCOMPARE(inner.blocks().size(), size_t(5));
        verifyNoOverlap(inner, {});
        for (const engine::Connection& c : inner.connections()) { // five columns fit: one row
            QCOMPARE(inner.block(c.to.block).position.y, inner.block(c.from.block).position.y);
            QVERIFY(inner.block(c.to.block).position.x > inner.block(c.from.block).position.x);
        }
    }

    void selectionLayoutKeepsItsCornerAndTheRestStill()
    {
        const engine::Graph graph = branchingGraph();
        const auto positions = computeAutoLayout(graph, { "b1", "b2", "c1" });
        QCOMPARE(positions.size(), size_t(3));
        QVERIFY(!positions.count("input"));
        double left = 1e9, top = 1e9;
        for (const auto& [id, p] : positions) {
            left = std::min(left, p.x);
            top = std::min(top, p.y);
        }
        QCOMPARE(left, 0.0); // the blocks' old top-left corner
        QCOMPARE(top, 0.0);
        engine::Graph selected;
        for (const char* id : { "b1", "b2", "c1" })
            selected.addBlock(graph.block(id));
        verifyNoOverlap(selected, positions);
    }

    void sceneAppliesLayoutAsOneUndoStep()
    {
        engine::Project project;
        project.graph = layoutChain(15);
        LayoutCanvas canvas(project, QSize(1280, 720));
        canvas.layOut();
        QCOMPARE(canvas.document.undoStack()->count(), 1);
        verifyNoOverlap(canvas.document.graph(), {});
        QVERIFY(!(canvas.document.project() == project));
        canvas.document.undoStack()->undo();
        QVERIFY(canvas.document.project() == project);
    }

    void fitToViewStaysReadable_data()
    {
        QTest::addColumn<int>("blocks");
        QTest::addColumn<bool>("fitsWhole");
        QTest::newRow("15 blocks") << 15 << true;
        QTest::newRow("60 blocks") << 60 << false;
    }

    void fitToViewStaysReadable()
    {
        QFETCH(int, blocks);
        QFETCH(bool, fitsWhole);
        engine::Project project;
        project.graph = layoutChain(blocks);
        LayoutCanvas canvas(project, QSize(1100, 620));
        canvas.layOut(); // lays out, then fits
        QVERIFY2(canvas.view.zoom() >= GraphView::readableZoom() - 1e-9, QByteArray::number(canvas.view.zoom()));
        const QRect viewport = canvas.view.viewport()->rect();
        int shown = 0;
        for (const engine::Block& block : canvas.document.graph().blocks())
            shown += viewport.contains(
                canvas.view.mapFromScene(canvas.scene.blockItem(QString::fromStdString(block.id))->blockRect())
                    .boundingRect());
        QCOMPARE(shown == blocks, fitsWhole);
        // Where it does not fit, the Input block is on screen to pan from.
        QVERIFY(
            viewport.contains(canvas.view.mapFromScene(canvas.scene.blockItem("input")->blockRect()).boundingRect()));
    }

    void rendersLaidOutExamples_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("classic CNN") << "classic_cnn.netdraft";
        QTest::newRow("resnet") << "resnet_shapes.netdraft";
    }

    void rendersLaidOutExamples()
    {
        // For a person to look at: NETDRAFT_LAYOUT_SHOTS names a folder for the PNGs.
        const QString folder = qEnvironmentVariable("NETDRAFT_LAYOUT_SHOTS");
        if (folder.isEmpty())
            QSKIP("NETDRAFT_LAYOUT_SHOTS is not set");
        QFETCH(QString, file);
        LayoutCanvas canvas(exampleProject(file), QSize(1100, 620));
        QVERIFY(tests::waitForShapes(canvas.scene));
        canvas.layOut();
        QVERIFY(tests::waitForShapes(canvas.scene));
        QVERIFY(canvas.view.grab().save(folder + "/" + QString(file).replace(".netdraft", ".png")));
    }
};

NETDRAFT_TEST(AutoLayoutTest);
#include "AutoLayoutTest.moc"
