// Editing inside an open composite keeps its ports valid (grouping and ungrouping the blocks behind
// them), and the canvas context menu for composites (open, rename, save, ungroup, close).

#include "editor/BlockItem.h"
#include "editor/CompositePortMarker.h"
#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/inference/ShapeInference.h"
#include "engine/io/ProjectFormat.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QApplication>
#include <QInputDialog>
#include <QMenu>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace netdraft;
using namespace netdraft::editor;

namespace {

/// ConvLayer (conv1, relu1: "in" → conv1.in, "out" ← relu1.out) used by convlayer1, inside Stage
/// (convlayer1, pool1: "in" → convlayer1.in, "out" ← pool1.out) used by stage1.
struct NestedCanvas : tests::GroupedCanvas {
    NestedCanvas()
        : GroupedCanvas(true, { { { "conv1", "relu1" }, "ConvLayer" }, { { "convlayer1", "pool1" }, "Stage" } })
    {
    }
    const engine::CompositeDefinition& definition(const char* name) const
    {
        return *document.project().graph.findComposite(name);
    }
};

/// Every port of every definition points at a real inner port, and the project infers without errors.
bool isSound(const GraphDocument& document)
{
    return engine::expandComposites(document.project().graph).problems.empty()
        && !engine::inferShapes(document.project().graph).hasErrors();
}

QStringList actionNames(const QMenu& menu)
{
    QStringList names;
    for (QAction* action : menu.actions())
        if (!action->isSeparator())
            names << action->objectName();
    return names;
}

QAction* findAction(const QMenu& menu, const QString& name)
{
    for (QAction* action : menu.actions())
        if (action->objectName() == name)
            return action;
    return nullptr;
}

} // namespace

class CompositeScopeEditingTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void groupingThePortsBlocksInsideRetargetsThePorts()
    {
        NestedCanvas canvas;
        const std::string before = tests::projectJson(canvas.document);
        const engine::InferenceResult shapesBefore = engine::inferShapes(canvas.document.project().graph);
        canvas.document.openComposite("ConvLayer");
        const QString instance = canvas.scene.groupSelection(QString()); // nothing selected: refused
        QVERIFY(instance.isEmpty());
        canvas.scene.selectBlocks({ "conv1", "relu1" });
        const std::string inner = canvas.scene.groupSelection("Inner").toStdString();
        QVERIFY(!inner.empty());
        QCOMPARE(canvas.document.scope(), QString("ConvLayer"));
        const engine::CompositeDefinition& outer = canvas.definition("ConvLayer");
        QCOMPARE(outer.inputs, std::vector<engine::CompositeInput>({ { "in", { { inner, "in" } } } }));
        QCOMPARE(outer.outputs, std::vector<engine::CompositeOutput>({ { "out", { inner, "out" } } }));
        const engine::CompositeDefinition& group = canvas.definition("Inner");
        QCOMPARE(group.inputs, std::vector<engine::CompositeInput>({ { "in", { { "conv1", "in" } } } }));
        QCOMPARE(group.outputs, std::vector<engine::CompositeOutput>({ { "out", { "relu1", "out" } } }));
        QVERIFY(isSound(canvas.document));
        const engine::InferenceResult shapesAfter = engine::inferShapes(canvas.document.project().graph);
        QCOMPARE(shapesAfter.find("fc")->output->toString(), shapesBefore.find("fc")->output->toString());
        // The markers now lead to the instance's ports.
        QCOMPARE(canvas.scene.portMarker(true, "in")->lineEnds().front(),
            canvas.scene.portScenePosition({ inner, "in" }, true));
        tests::checkUndoRedo(canvas.document, before, 1);
        canvas.document.undoStack()->undo();
        QVERIFY(!canvas.document.project().graph.findComposite("Inner")); // one step takes it all back
        QCOMPARE(canvas.document.scope(), QString("ConvLayer"));
    }

    void groupingOneBlockBehindAPortGivesTheGroupThatPort_data()
    {
        QTest::addColumn<QString>("block");
        QTest::newRow("behind the input") << "conv1";
        QTest::newRow("behind the output") << "relu1";
    }

    void groupingOneBlockBehindAPortGivesTheGroupThatPort()
    {
        QFETCH(QString, block);
        NestedCanvas canvas;
        const std::string before = tests::projectJson(canvas.document);
        canvas.document.openComposite("ConvLayer");
        canvas.scene.selectBlocks({ block });
        const std::string inner = canvas.scene.groupSelection("Single").toStdString();
        QVERIFY(!inner.empty());
        QVERIFY(isSound(canvas.document));
        const engine::CompositeDefinition& outer = canvas.definition("ConvLayer");
        const engine::PortRef in = outer.findInput("in")->targets.front();
        const engine::PortRef out = outer.findOutput("out")->source;
        QCOMPARE(in.block, block == "conv1" ? inner : std::string("conv1"));
        QCOMPARE(out.block, block == "relu1" ? inner : std::string("relu1"));
        tests::checkUndoRedo(canvas.document, before, 1);
    }

    void ungroupingAnInstanceBehindThePortsRetargetsThem()
    {
        NestedCanvas canvas;
        const std::string before = tests::projectJson(canvas.document);
        canvas.document.openComposite("Stage");
        canvas.scene.selectBlocks({ "convlayer1" });
        QCOMPARE(canvas.scene.ungroupSelection(), 1);
        QCOMPARE(canvas.document.scope(), QString("Stage"));
        const engine::CompositeDefinition& stage = canvas.definition("Stage");
        QCOMPARE(stage.inputs, std::vector<engine::CompositeInput>({ { "in", { { "conv1", "in" } } } }));
        QVERIFY(isSound(canvas.document));
        QCOMPARE(canvas.scene.portMarker(true, "in")->lineEnds().front(),
            canvas.scene.portScenePosition({ "conv1", "in" }, true));
        tests::checkUndoRedo(canvas.document, before, 1);
    }

    void ungroupingTheGroupBehindBothPortsRestoresThem()
    {
        NestedCanvas canvas;
        canvas.document.openComposite("ConvLayer");
        const engine::CompositeDefinition original = canvas.definition("ConvLayer");
        canvas.scene.selectBlocks({ "conv1", "relu1" });
        const QString inner = canvas.scene.groupSelection("Inner");
        canvas.scene.selectBlocks({ inner });
        QCOMPARE(canvas.scene.ungroupSelection(), 1);
        const engine::CompositeDefinition& outer = canvas.definition("ConvLayer");
        QCOMPARE(outer.inputs, original.inputs);
        QCOMPARE(outer.outputs, original.outputs);
        QVERIFY(isSound(canvas.document));
        const std::string ungrouped = tests::projectJson(canvas.document);
        canvas.document.undoStack()->undo();
        canvas.document.undoStack()->undo();
        canvas.document.undoStack()->redo();
        canvas.document.undoStack()->redo();
        QCOMPARE(tests::projectJson(canvas.document), ungrouped);
    }

    void instanceMenuOffersTheCompositeActions()
    {
        NestedCanvas canvas;
        GraphView view(&canvas.scene);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.fitToView();
        const QPoint onInstance
            = tests::viewportPoint(view, canvas.scene.blockItem("stage1")->sceneBoundingRect().center());
        std::unique_ptr<QMenu> menu(view.contextMenuAt(onInstance));
        QVERIFY(menu);
        QCOMPARE(actionNames(*menu),
            QStringList({ "deleteReconnect", "freezeBlock", "freezeUpTo", "openDefinition", "renameDefinition",
                "saveComposite", "ungroup" }));
        QCOMPARE(canvas.scene.selectedBlockIds(), QStringList({ "stage1" }));
        // A plain block offers only deleting with reconnection and freezing.
        const QPoint onPlain = tests::viewportPoint(view, canvas.scene.blockItem("fc")->sceneBoundingRect().center());
        std::unique_ptr<QMenu> plain(view.contextMenuAt(onPlain));
        QVERIFY(plain);
        QCOMPARE(actionNames(*plain), QStringList({ "deleteReconnect", "freezeBlock", "freezeUpTo" }));
        canvas.scene.selectBlocks({ "stage1" });
        // Nor does the project's empty canvas.
        QVERIFY(!std::unique_ptr<QMenu>(view.contextMenuAt(QPoint(2, view.viewport()->height() - 2))));

        findAction(*menu, "openDefinition")->trigger();
        QCOMPARE(canvas.document.scope(), QString("Stage"));
        view.fitToView();
        std::unique_ptr<QMenu> inside(view.contextMenuAt(QPoint(2, view.viewport()->height() - 2)));
        QVERIFY(inside);
        QCOMPARE(actionNames(*inside), QStringList({ "closeDefinition", "renameDefinition", "saveComposite" }));
        findAction(*inside, "closeDefinition")->trigger();
        QCOMPARE(canvas.document.scope(), QString());
        QCOMPARE(canvas.document.undoStack()->count(), 0); // navigation, not an edit
    }

    void menuUngroupsTheInstance()
    {
        NestedCanvas canvas;
        GraphView view(&canvas.scene);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.fitToView();
        const std::string before = tests::projectJson(canvas.document);
        std::unique_ptr<QMenu> menu(view.contextMenuAt(
            tests::viewportPoint(view, canvas.scene.blockItem("stage1")->sceneBoundingRect().center())));
        findAction(*menu, "ungroup")->trigger();
        QVERIFY(!canvas.document.graph().findBlock("stage1"));
        QVERIFY(canvas.document.graph().findBlock("convlayer1"));
        tests::checkUndoRedo(canvas.document, before, 1);
    }

    void menuRenamesTheOpenDefinitionAndKeepsItOpen()
    {
        NestedCanvas canvas;
        GraphView view(&canvas.scene);
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const std::string before = tests::projectJson(canvas.document);
        canvas.document.openComposite("ConvLayer");
        view.fitToView();
        std::unique_ptr<QMenu> menu(view.contextMenuAt(QPoint(2, view.viewport()->height() - 2)));
        QVERIFY(menu);
        tests::answerNextDialog("Block");
        findAction(*menu, "renameDefinition")->trigger();
        QCOMPARE(canvas.document.scope(), QString("Block"));
        QVERIFY(canvas.document.project().graph.findComposite("Block"));
        QCOMPARE(canvas.document.project().graph.block("stage1").type, std::string("Stage"));
        QCOMPARE(canvas.document.project().graph.findComposite("Stage")->blocks.front().type, std::string("Block"));
        QVERIFY(canvas.scene.blockItem("conv1"));
        QCOMPARE(canvas.scene.portMarkers().size(), size_t(2));
        QCOMPARE(view.breadcrumb()->text().contains("Block"), true);
        tests::checkUndoRedo(canvas.document, before, 1);
        QCOMPARE(canvas.document.scope(), QString("Block"));
        canvas.document.undoStack()->undo();
        QCOMPARE(canvas.document.scope(), QString("ConvLayer"));
    }
};

NETDRAFT_TEST(CompositeScopeEditingTest);
#include "CompositeScopeEditingTest.moc"
