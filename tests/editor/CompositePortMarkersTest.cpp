// The open composite's own ports on its canvas: one marker per input (left of the inner blocks) and
// output (right), with lines to the inner ports, following moves and port edits; double-click renames.

#include "editor/BlockItem.h"
#include "editor/CompositePortMarker.h"
#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "editor/commands/MoveBlocks.h"
#include "engine/io/ProjectFormat.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QApplication>
#include <QInputDialog>
#include <QTest>
#include <QTimer>

using namespace netdraft;
using namespace netdraft::editor;

namespace {

/// The classic CNN with conv1 and relu1 grouped into ConvLayer (ports "in" → conv1.in, "out" ← relu1.out).
struct ConvLayerCanvas : tests::GroupedCanvas {
    ConvLayerCanvas()
        : GroupedCanvas(true, { { { "conv1", "relu1" }, "ConvLayer" } })
    {
    }
};

QRectF innerBlocksRect(const GraphScene& scene)
{
    QRectF box;
    for (const engine::Block& block : scene.document().graph().blocks())
        box |= scene.blockItem(QString::fromStdString(block.id))->sceneBoundingRect();
    return box;
}

} // namespace

class CompositePortMarkersTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void markersShowTheOpenCompositesPortsOnly()
    {
        ConvLayerCanvas canvas;
        QVERIFY(canvas.scene.portMarkers().empty()); // the project's graph has no ports of its own
        canvas.document.openComposite("ConvLayer");
        QCOMPARE(canvas.scene.portMarkers().size(), size_t(2));
        CompositePortMarker* in = canvas.scene.portMarker(true, "in");
        CompositePortMarker* out = canvas.scene.portMarker(false, "out");
        QVERIFY(in && out);
        const QRectF box = innerBlocksRect(canvas.scene);
        QVERIFY(in->mapRectToScene(in->tagRect()).right() < box.left());
        QVERIFY(out->mapRectToScene(out->tagRect()).left() > box.right());
        QCOMPARE(in->lineEnds(), std::vector<QPointF>({ canvas.scene.portScenePosition({ "conv1", "in" }, true) }));
        QCOMPARE(out->lineEnds(), std::vector<QPointF>({ canvas.scene.portScenePosition({ "relu1", "out" }, false) }));
        // Read-only views of the definition: nothing in the document changed.
        QCOMPARE(canvas.document.undoStack()->count(), 0);
        canvas.document.closeComposite();
        QVERIFY(canvas.scene.portMarkers().empty());
    }

    void markersFollowMovedBlocks()
    {
        ConvLayerCanvas canvas;
        canvas.document.openComposite("ConvLayer");
        const QPointF before = canvas.scene.portMarker(true, "in")->pos();
        const engine::Point conv = canvas.document.graph().block("conv1").position;
        canvas.document.push(
            new commands::MoveBlocks(canvas.document, { { "conv1", { conv.x - 300, conv.y + 200 } } }));
        CompositePortMarker* in = canvas.scene.portMarker(true, "in");
        QCOMPARE(in->lineEnds().front(), canvas.scene.portScenePosition({ "conv1", "in" }, true));
        QVERIFY(in->mapRectToScene(in->tagRect()).right() < innerBlocksRect(canvas.scene).left());
        QVERIFY(in->pos() != before);
        // While dragged (before the move is committed) too.
        BlockItem* relu = canvas.scene.blockItem("relu1");
        relu->setPos(relu->pos() + QPointF(500, 0));
        CompositePortMarker* out = canvas.scene.portMarker(false, "out");
        QCOMPARE(out->lineEnds().front(), canvas.scene.portScenePosition({ "relu1", "out" }, false));
        QVERIFY(out->mapRectToScene(out->tagRect()).left() > relu->sceneBoundingRect().right());
        canvas.document.undoStack()->undo();
        QCOMPARE(canvas.scene.portMarker(true, "in")->pos(), before);
    }

    void renamingAPortRenamesItsMarkerAndUndoes()
    {
        ConvLayerCanvas canvas;
        canvas.document.openComposite("ConvLayer");
        const std::string before = tests::projectJson(canvas.document);
        QVERIFY(canvas.scene.renameOpenCompositePort(true, "in", "features"));
        QVERIFY(canvas.scene.portMarker(true, "features"));
        QVERIFY(!canvas.scene.portMarker(true, "in"));
        QCOMPARE(canvas.document.scope(), QString("ConvLayer"));
        QVERIFY(canvas.document.project().graph.connectionInto({ "convlayer1", "features" }));
        const std::string after = tests::projectJson(canvas.document);
        QCOMPARE(canvas.document.undoStack()->count(), 1);
        canvas.document.undoStack()->undo();
        QCOMPARE(tests::projectJson(canvas.document), before);
        QVERIFY(canvas.scene.portMarker(true, "in"));
        canvas.document.undoStack()->redo();
        QCOMPARE(tests::projectJson(canvas.document), after);
        // A taken name is refused, nothing changes.
        QVERIFY(!canvas.scene.renameOpenCompositePort(true, "features", "0bad"));
        QCOMPARE(tests::projectJson(canvas.document), after);
    }

    void doubleClickOnAMarkerRenamesThePort()
    {
        ConvLayerCanvas canvas;
        GraphView view(&canvas.scene);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        canvas.document.openComposite("ConvLayer");
        view.fitToView();
        CompositePortMarker* out = canvas.scene.portMarker(false, "out");
        const QPoint at = tests::viewportPoint(view, out->mapRectToScene(out->tagRect()).center());
        const std::string before = tests::projectJson(canvas.document);
        tests::answerNextDialog("features");
        QTest::mouseDClick(view.viewport(), Qt::LeftButton, Qt::NoModifier, at);
        QVERIFY(QTest::qWaitFor([&] { return canvas.scene.portMarker(false, "features") != nullptr; }, 3000));
        QVERIFY(canvas.document.project().graph.findComposite("ConvLayer")->findOutput("features"));
        QCOMPARE(canvas.document.undoStack()->count(), 1);
        canvas.document.undoStack()->undo();
        QCOMPARE(tests::projectJson(canvas.document), before);
    }

    void screenshotForTheDocs()
    {
        // NETDRAFT_SCREENSHOTS=folder keeps a picture of an open composite for the docs.
        const QString folder = qEnvironmentVariable("NETDRAFT_SCREENSHOTS");
        if (folder.isEmpty())
            QSKIP("set NETDRAFT_SCREENSHOTS to a folder to save the picture");
        ConvLayerCanvas canvas;
        canvas.document.openComposite("ConvLayer");
        const engine::Point relu = canvas.document.graph().block("relu1").position;
        canvas.document.push(
            new commands::MoveBlocks(canvas.document, { { "relu1", { relu.x + 100, relu.y + 40 } } }));
        GraphView view(&canvas.scene);
        view.resize(900, 360);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(tests::waitForShapes(canvas.scene));
        view.fitToView();
        QTest::qWait(100);
        QVERIFY(view.grab().save(folder + QStringLiteral("/composite-ports.png")));
    }
};

NETDRAFT_TEST(CompositePortMarkersTest);
#include "CompositePortMarkersTest.moc"
