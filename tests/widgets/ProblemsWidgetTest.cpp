// The problems list mirrors inference; clicking a problem selects and centres its block.

#include "widgets/editing/ProblemsWidget.h"
#include "editor/BlockItem.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "editor/commands/RenameBlock.h"
#include "editor/commands/SetParameter.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QListWidget>
#include <QTest>

using namespace netdraft;

class ProblemsWidgetTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void listsTheNaiveCnnError()
    {
        editor::GraphDocument document(tests::classicCnnProject(false));
        widgets::ProblemsWidget problems(document);
        QCOMPARE(problems.list()->count(), 1);
        QVERIFY(
            problems.list()->item(0)->text().startsWith("fc: Linear expects 128 input features but receives 131072"));
        QCOMPARE(problems.summary(), QString("1 error"));
        document.push(new editor::commands::SetParameter(document, "fc", "in_features", engine::Auto {}));
        // Inference runs on a worker; the list follows when its result arrives.
        QTRY_COMPARE(problems.list()->count(), 0);
        QCOMPARE(problems.summary(), QString("No problems"));
    }

    // Issue 16 item 9: the canvas showed "features2", the list "conv2d2".
    void problemsNameBlocksAsTheCanvasDoes_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("listed");
        QTest::addColumn<QString>("toolTip");
        QTest::newRow("display name") << "classifier" << "classifier: " << "block classifier (fc): ";
        QTest::newRow("no display name") << "" << "fc: " << "block fc: ";
        // Another block shows "conv1" (its id): the id tells the two apart.
        QTest::newRow("ambiguous") << "conv1" << "conv1 (fc): " << "block conv1 (fc): ";
    }
    void problemsNameBlocksAsTheCanvasDoes()
    {
        QFETCH(QString, name);
        QFETCH(QString, listed);
        QFETCH(QString, toolTip);
        editor::GraphDocument document(tests::classicCnnProject(false));
        widgets::ProblemsWidget problems(document);
        QTRY_COMPARE(problems.list()->count(), 1);
        if (!name.isEmpty()) // renamed while listed: a rename infers nothing, the list follows anyway
            document.push(new editor::commands::RenameBlock(document, "fc", name.toStdString()));
        QVERIFY2(problems.list()->item(0)->text().startsWith(listed + "Linear expects 128 input features"),
            qPrintable(problems.list()->item(0)->text()));
        QVERIFY2(problems.list()->item(0)->toolTip().startsWith(toolTip), qPrintable(problems.list()->item(0)->toolTip()));
        QCOMPARE(problems.list()->item(0)->data(Qt::UserRole).toString(), QString("fc")); // still finds the block
    }

    void clickSelectsAndCentresTheBlock()
    {
        editor::GraphDocument document(tests::classicCnnProject(false));
        editor::GraphScene scene(document);
        editor::GraphView view(&scene);
        widgets::ProblemsWidget problems(document);
        connect(&problems, &widgets::ProblemsWidget::blockActivated, &view, &editor::GraphView::focusBlock);
        view.resize(600, 400);
        view.show();
        problems.show();
        QVERIFY(QTest::qWaitForWindowExposed(&problems));
        view.centerOn(0, 0);
        QListWidgetItem* item = problems.list()->item(0);
        QTest::mouseClick(problems.list()->viewport(), Qt::LeftButton, Qt::NoModifier,
            problems.list()->visualItemRect(item).center());
        QCOMPARE(scene.selectedBlockIds(), QStringList({ "fc" }));
        const QPointF centre = view.mapToScene(view.viewport()->rect().center());
        QVERIFY(scene.blockItem("fc")->sceneBoundingRect().adjusted(-5, -5, 5, 5).contains(centre));
    }
};

NETDRAFT_TEST(ProblemsWidgetTest);
#include "ProblemsWidgetTest.moc"
