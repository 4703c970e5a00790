// Freezing blocks for fine-tuning: one undoable command for a selection (Edit ▸ Freeze / Unfreeze
// Selected toggles), "Freeze Up to Here" over everything upstream, a frozen composite instance
// freezing every block inside it, and the padlock on the block face following undo and redo.

#include "editor/BlockItem.h"
#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "editor/commands/SetFrozen.h"
#include "editor/commands/SetLearningRateScale.h"
#include "engine/graph/CompositeExpansion.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QAction>
#include <QTest>

using namespace netdraft;
using namespace netdraft::editor;

namespace {

QStringList frozenIds(const engine::Graph& graph)
{
    QStringList ids;
    for (const engine::Block& block : graph.blocks())
        if (block.frozen)
            ids << QString::fromStdString(block.id);
    return ids;
}

} // namespace

class FreezeBlocksTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void toggleFreezesAMixedSelectionThenUnfreezes()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        document.push(new commands::SetFrozen(document, { "conv1" }, true));
        document.undoStack()->clear();
        const std::string before = tests::projectJson(document);
        scene.selectBlocks({ "conv1", "conv2", "fc" });
        // Not all frozen: the toggle freezes every selected block, as one step.
        QCOMPARE(scene.toggleSelectionFrozen(), 3);
        QCOMPARE(frozenIds(document.graph()), QStringList({ "conv1", "conv2", "fc" }));
        tests::checkUndoRedo(document, before, 1);
        // All frozen: the toggle unfreezes them, conv1 included.
        QCOMPARE(scene.toggleSelectionFrozen(), 3);
        QVERIFY(frozenIds(document.graph()).isEmpty());
        document.undoStack()->undo();
        QCOMPARE(frozenIds(document.graph()), QStringList({ "conv1", "conv2", "fc" }));
        // Nothing selected: nothing changes.
        scene.selectBlocks({});
        const int steps = document.undoStack()->count();
        QCOMPARE(scene.toggleSelectionFrozen(), 0);
        QCOMPARE(document.undoStack()->count(), steps);
    }

    void freezeUpToFreezesEverythingUpstream()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        const std::string before = tests::projectJson(document);
        QCOMPARE(scene.freezeUpTo(QStringLiteral("conv2")), 5);
        QCOMPARE(frozenIds(document.graph()), QStringList({ "input", "conv1", "relu1", "pool1", "conv2" }));
        tests::checkUndoRedo(document, before, 1);
        // Again: nothing left to freeze, no step.
        const int steps = document.undoStack()->count();
        QCOMPARE(scene.freezeUpTo(QStringLiteral("conv2")), 0);
        QCOMPARE(document.undoStack()->count(), steps);
    }

    void frozenInstanceFreezesTheBlocksInside()
    {
        tests::GroupedCanvas canvas(true, { { { "conv1", "relu1" }, "ConvLayer" } });
        QString instance;
        for (const engine::Block& block : canvas.document.graph().blocks())
            if (block.type == "ConvLayer")
                instance = QString::fromStdString(block.id);
        QVERIFY(!instance.isEmpty());
        canvas.scene.selectBlocks({ instance });
        QCOMPARE(canvas.scene.toggleSelectionFrozen(), 1);
        const engine::ExpandedGraph expanded = engine::expandComposites(canvas.document.project().graph);
        QStringList insideFrozen;
        for (const auto& [id, origin] : expanded.origins)
            if (origin.instance == instance.toStdString() && expanded.graph.block(id).frozen)
                insideFrozen << QString::fromStdString(origin.innerPath);
        insideFrozen.sort();
        QCOMPARE(insideFrozen, QStringList({ "conv1", "relu1" }));
        QVERIFY(!expanded.graph.block("conv2").frozen);
    }

    void blockFaceShowsThePadlock()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        GraphView view(&scene);
        QVERIFY(tests::waitForShapes(scene));
        BlockItem* item = scene.blockItem(QStringLiteral("fc"));
        QVERIFY(!item->isFrozen());
        scene.selectBlocks({ "fc" });
        QAction* toggle = view.action(QStringLiteral("toggleFrozen"));
        QVERIFY(toggle);
        QCOMPARE(toggle->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
        toggle->trigger();
        QVERIFY(tests::waitForShapes(scene));
        QVERIFY(item->isFrozen());
        QVERIFY(item->toolTip().contains(QStringLiteral("Frozen")));
        document.undoStack()->undo();
        QVERIFY(tests::waitForShapes(scene));
        QVERIFY(!item->isFrozen());
        QVERIFY(!item->toolTip().contains(QStringLiteral("Frozen")));
    }

    void blockFaceShowsTheLearningRateFactor()
    {
        GraphDocument document(tests::classicCnnProject(true));
        GraphScene scene(document);
        QVERIFY(tests::waitForShapes(scene));
        BlockItem* item = scene.blockItem(QStringLiteral("fc"));
        QCOMPARE(item->learningRateLabel(), QString());
        document.push(new commands::SetLearningRateScale(document, { "fc" }, 0.1));
        QVERIFY(tests::waitForShapes(scene));
        QCOMPARE(item->learningRateLabel(), QStringLiteral("lr \u00d70.1"));
        QVERIFY(item->toolTip().contains(QStringLiteral("Learning rate \u00d7 0.1")));
        document.undoStack()->undo();
        QVERIFY(tests::waitForShapes(scene));
        QCOMPARE(item->learningRateLabel(), QString());
    }
};

NETDRAFT_TEST(FreezeBlocksTest);
#include "FreezeBlocksTest.moc"
