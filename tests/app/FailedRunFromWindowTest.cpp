// A run from the window that stops on a non-finite loss marks the block the failing batch's checks
// named (engine/train/NonFiniteDiagnosis) on the canvas: the Ratio block divides a Linear's output by
// zero (a Scale block of factor 0). The view centres on it, Problems lists it (a click selects it), an
// edit or the next run clears the mark, and reopening the project restores it from the run history;
// inside a composite the instance is marked, and the inner block once the composite is open.

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "editor/BlockItem.h"
#include "editor/FailureMark.h"
#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "editor/commands/SetParameter.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/io/ProjectFormat.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/RunRecord.h"
#include "widgets/editing/ProblemsWidget.h"

#include <QAction>
#include <QGraphicsView>
#include <QListWidget>
#include <QSignalSpy>
#include <QTest>

using namespace netdraft;

namespace {

/// The spirals MLP's data and settings on Input(2) → fc (Linear 2) → Ratio (Divide, id div: fc / zero),
/// where zero is a Scale of fc by 0: every forward pass divides by zero.
engine::Project divisionByZeroProject()
{
    engine::Project project = engine::loadProjectFile(NETDRAFT_SOURCE_DIR "/projects/mlp_spirals.netdraft");
    project.graph = engine::GraphBuilder()
                        .input({ 2 })
                        .then("Linear", { { "out_features", int64_t(2) } }, "fc")
                        .add("Scale", { { "scale", 0.0 } }, "zero")
                        .connect("fc", "zero")
                        .add("Divide", {}, "div")
                        .connect("fc", "div", "in1")
                        .connect("zero", "div", "in2")
                        .from("div")
                        .output()
                        .graph();
    project.graph.block("div").name = "Ratio";
    double x = 0;
    for (const char* id : { "input", "fc", "zero", "div", "output" }) {
        project.graph.block(id).position = { x, id == std::string("zero") ? 120.0 : 0.0 };
        x += 260;
    }
    project.dataset.samples = 400;
    project.training.epochs = 1;
    project.training.threads = 2;
    return project;
}

editor::GraphScene& sceneOf(const app::MainWindow& window)
{
    return *qobject_cast<editor::GraphScene*>(window.findChild<QGraphicsView*>(QStringLiteral("canvas"))->scene());
}

editor::FailureMark& markOf(const app::MainWindow& window)
{
    return *window.findChild<editor::FailureMark*>(QStringLiteral("failureMark"));
}

/// Trains from Train ▸ Start and returns the run's record (empty number when it did not end in time).
widgets::RunRecord trainFromWindow(app::MainWindow& window)
{
    QSignalSpy finished(&window, &app::MainWindow::trainingFinished);
    window.action("trainStart")->trigger();
    if (!finished.wait(120000))
        return {};
    return finished.last().first().value<widgets::RunRecord>();
}

} // namespace

class FailedRunFromWindowTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void theFailingBlockIsMarkedListedAndCleared()
    {
        tests::ScriptedPrompts* prompts = nullptr;
        auto window = tests::shownWindow(&prompts);
        const QString path = tests::saveProject(divisionByZeroProject(), folder_, QStringLiteral("ratio.netdraft"));
        QVERIFY(window->openProject(path));
        editor::GraphScene& scene = sceneOf(*window);
        auto* view = window->findChild<QGraphicsView*>(QStringLiteral("canvas"));
        view->scale(3, 3); // zoomed in on the input: the block is off screen until the view follows it
        view->centerOn(scene.blockItem("input"));

        const widgets::RunRecord run = trainFromWindow(*window);
        QCOMPARE(run.stopReason, QString("nan"));
        QCOMPARE(prompts->errors.size(), 1);
        QCOMPARE(run.nonFiniteBlock, QString("div"));
        QCOMPARE(run.nonFiniteRunBlock, QString("div"));
        // The engine's message names the block and says what happened; the canvas shows the same words.
        QVERIFY2(run.nonFiniteDetail.startsWith("output became "), qPrintable(run.nonFiniteDetail));
        QVERIFY2(run.nonFiniteDetail.contains(" in forward; its input ranged "), qPrintable(run.nonFiniteDetail));
        QVERIFY2(run.message.contains("block Ratio (div): " + run.nonFiniteDetail), qPrintable(run.message));

        editor::FailureMark& mark = markOf(*window);
        QCOMPARE(mark.markedBlock(), QString("div"));
        editor::BlockItem* ratio = scene.blockItem("div");
        QVERIFY(ratio->isFailureMarked());
        QVERIFY(!ratio->hasErrors());
        QVERIFY2(ratio->toolTip().contains(("Training stopped: " + run.nonFiniteDetail).toHtmlEscaped()),
            qPrintable(ratio->toolTip()));
        for (const char* other : { "input", "fc", "zero", "output" })
            QVERIFY2(!scene.blockItem(other)->isFailureMarked(), other);
        // The view followed it: the block's centre is in the middle of the viewport.
        const QPoint centre = view->mapFromScene(ratio->sceneBoundingRect().center());
        QVERIFY2((centre - view->viewport()->rect().center()).manhattanLength() < 40,
            qPrintable(QString("%1,%2").arg(centre.x()).arg(centre.y())));

        // Problems lists it first; clicking the entry selects the block.
        auto* problems = window->findChild<widgets::ProblemsWidget*>();
        QVERIFY(problems);
        QVERIFY2(problems->summary().startsWith("1 failed run"), qPrintable(problems->summary()));
        QListWidgetItem* entry = problems->list()->item(0);
        QVERIFY(entry);
        QCOMPARE(entry->data(Qt::UserRole).toString(), QString("div"));
        QCOMPARE(entry->text(), "Ratio: Training stopped: " + run.nonFiniteDetail);
        scene.selectBlocks({});
        problems->list()->scrollToItem(entry);
        QTest::mouseClick(
            problems->list()->viewport(), Qt::LeftButton, {}, problems->list()->visualItemRect(entry).center());
        QCOMPARE(scene.selectedBlockIds(), QStringList { "div" });

        // An edit clears it (here the one that fixes the division), in Problems too; so does undoing it.
        editor::GraphDocument& document = window->session().document();
        document.push(new editor::commands::SetParameter(document, "zero", "bias", engine::ParamValue(1.0)));
        QVERIFY(!ratio->isFailureMarked());
        QVERIFY(mark.markedBlock().isEmpty());
        QVERIFY(!problems->summary().contains("failed run"));
        QVERIFY(
            !problems->list()->count() || problems->list()->item(0)->data(Qt::UserRole + 1).toString() != "failure");
        document.undoStack()->undo();
        QVERIFY(!scene.blockItem("div")->isFailureMarked());

        // Reopened, the project's latest run (on this very design) marks the block again.
        QVERIFY(window->openProject(path));
        QCOMPARE(markOf(*window).markedBlock(), QString("div"));
        QVERIFY(sceneOf(*window).blockItem("div")->isFailureMarked());
        QVERIFY(problems->summary().startsWith("1 failed run"));

        // The next run starts without it.
        window->action("trainStart")->trigger();
        QVERIFY(markOf(*window).markedBlock().isEmpty());
        QVERIFY(!sceneOf(*window).blockItem("div")->isFailureMarked());
        QSignalSpy finished(window.get(), &app::MainWindow::trainingFinished);
        QVERIFY(finished.wait(120000));
        QCOMPARE(markOf(*window).markedBlock(), QString("div")); // it failed there again
    }

    void insideACompositeTheInstanceThenTheInnerBlock()
    {
        auto window = tests::shownWindow();
        const QString path = tests::saveProject(divisionByZeroProject(), folder_, QStringLiteral("risky.netdraft"));
        QVERIFY(window->openProject(path));
        editor::GraphScene& scene = sceneOf(*window);
        scene.selectBlocks({ "fc", "zero", "div" });
        const QString instance = scene.groupSelection(QStringLiteral("Risky"));
        QVERIFY(!instance.isEmpty());

        const widgets::RunRecord run = trainFromWindow(*window);
        QCOMPARE(run.stopReason, QString("nan"));
        QCOMPARE(run.nonFiniteBlock, instance);
        QCOMPARE(run.nonFiniteRunBlock, instance + "__div");
        editor::FailureMark& mark = markOf(*window);
        QCOMPARE(mark.markedBlock(), instance);
        QVERIFY(scene.blockItem(instance)->isFailureMarked());
        QCOMPARE(mark.text(), "Training stopped at block div inside it: " + run.nonFiniteDetail);
        auto* problems = window->findChild<widgets::ProblemsWidget*>();
        QCOMPARE(problems->list()->item(0)->data(Qt::UserRole).toString(), instance);

        window->session().document().openComposite(QStringLiteral("Risky"));
        QCOMPARE(mark.markedBlock(), QString("div"));
        QVERIFY(scene.blockItem("div")->isFailureMarked());
        QVERIFY(!scene.blockItem("fc")->isFailureMarked());
        QCOMPARE(problems->list()->item(0)->data(Qt::UserRole).toString(), QString("div"));
        QCOMPARE(problems->list()->item(0)->text(), "Ratio: Training stopped: " + run.nonFiniteDetail);
    }
};

NETDRAFT_TEST(FailedRunFromWindowTest);
#include "FailedRunFromWindowTest.moc"
