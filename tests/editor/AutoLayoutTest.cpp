// Graphviz auto-layout: left-to-right flow, no overlapping blocks, one undo step.

#include "editor/AutoLayout.h"
#include "editor/BlockGeometry.h"
#include "editor/GraphScene.h"
#include "engine/graph/GraphBuilder.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QRectF>
#include <QTest>

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

QRectF rectOf(const engine::Graph& graph, const engine::Block& block,
    const std::map<std::string, engine::Point>& positions)
{
    const engine::Point p = positions.count(block.id) ? positions.at(block.id) : block.position;
    return { QPointF(p.x, p.y), geometry::blockSize(block, graph) };
}

void verifyNoOverlap(const engine::Graph& graph, const std::map<std::string, engine::Point>& positions)
{
    const auto& blocks = graph.blocks();
    for (size_t i = 0; i < blocks.size(); ++i)
        for (size_t j = i + 1; j < blocks.size(); ++j)
            QVERIFY2(!rectOf(graph, blocks[i], positions).intersects(rectOf(graph, blocks[j], positions)),
                (blocks[i].id + " overlaps " + blocks[j].id).c_str());
}

} // namespace

class AutoLayoutTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void wholeGraphFlowsLeftToRightWithoutOverlap_data()
    {
        QTest::addColumn<bool>("branching");
        QTest::newRow("classic CNN") << false;
        QTest::newRow("branching, all blocks stacked") << true;
    }

    void wholeGraphFlowsLeftToRightWithoutOverlap()
    {
        QFETCH(bool, branching);
        const engine::Graph graph = branching ? branchingGraph() : tests::classicCnn(true);
        const auto positions = computeAutoLayout(graph);
        QCOMPARE(positions.size(), graph.blocks().size());
        verifyNoOverlap(graph, positions);
        for (const engine::Connection& c : graph.connections())
            QVERIFY2(positions.at(c.to.block).x > positions.at(c.from.block).x, engine::describeConnection(c).c_str());
        for (const auto& [id, p] : positions) {
            QCOMPARE(p.x, geometry::snapToGrid(p.x));
            QCOMPARE(p.y, geometry::snapToGrid(p.y));
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
        std::map<std::string, engine::Point> onlySelected;
        engine::Graph selected;
        for (const char* id : { "b1", "b2", "c1" })
            selected.addBlock(graph.block(id));
        verifyNoOverlap(selected, positions);
    }

    void sceneAppliesLayoutAsOneUndoStep()
    {
        engine::Project project;
        project.graph = branchingGraph();
        GraphDocument document(project);
        GraphScene scene(document);
        scene.autoLayout();
        QCOMPARE(document.undoStack()->count(), 1);
        verifyNoOverlap(document.graph(), {});
        document.undoStack()->undo();
        QVERIFY(document.project() == project);
    }
};

NETDRAFT_TEST(AutoLayoutTest);
#include "AutoLayoutTest.moc"
