// The main window's cost collaborator (app/gui/CostPresenter): View ▸ Cost Overlay is off by default,
// has a shortcut no other action takes, tints the canvas when checked and is remembered; the status
// bar's memory-fit line and the Cost panel are there before anything trains.

#include "app/gui/MainWindow.h"
#include "editor/BlockItem.h"
#include "editor/GraphScene.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/editing/CostTableWidget.h"

#include <QAction>
#include <QDockWidget>
#include <QGraphicsView>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

using namespace netdraft;

namespace {

editor::BlockItem* canvasBlock(const app::MainWindow& window, const char* id)
{
    auto* view = window.findChild<QGraphicsView*>(QStringLiteral("canvas"));
    auto* scene = view ? qobject_cast<editor::GraphScene*>(view->scene()) : nullptr;
    return scene ? scene->blockItem(QString::fromLatin1(id)) : nullptr;
}

} // namespace

class CostFromWindowTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void overlayMemoryLineAndPanel()
    {
        const QString project = QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/classic_cnn.netdraft");
        {
            app::MainWindow window(std::make_unique<tests::ScriptedPrompts>());
            window.show();
            QVERIFY(window.openProject(project));
            auto* overlay = window.findChild<QAction*>(QStringLiteral("viewCostOverlay"));
            QVERIFY(overlay);
            QVERIFY(overlay->isCheckable());
            QVERIFY(!overlay->isChecked()); // off by default
            QCOMPARE(overlay->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
            for (const QAction* other : window.findChildren<QAction*>())
                if (other != overlay)
                    QVERIFY2(other->shortcut() != overlay->shortcut(), qPrintable(other->objectName()));

            auto* memory = window.findChild<QLabel*>(QStringLiteral("memoryFitStatus"));
            QVERIFY(memory);
            QTRY_VERIFY_WITH_TIMEOUT(
                memory->text().startsWith("Training memory at batch size 64 (sgd, fp32): 34.1 MiB"), 10000);
            QVERIFY2(memory->text().contains(" of cpu"), qPrintable(memory->text()));
            auto* dock = window.findChild<QDockWidget*>(QStringLiteral("costDock"));
            QVERIFY(dock);
            auto* table = qobject_cast<widgets::CostTableWidget*>(dock->widget());
            QVERIFY(table);
            QCOMPARE(table->cellValue(table->rowCount() - 1, widgets::CostTableWidget::Parameters), qint64(113738));

            QVERIFY(canvasBlock(window, "conv2"));
            QVERIFY(!canvasBlock(window, "conv2")->overlayColor().isValid());
            overlay->trigger();
            QVERIFY(canvasBlock(window, "conv2")->overlayColor().isValid());
            QVERIFY(canvasBlock(window, "conv2")->toolTip().contains("4.72 M MACs"));
        }
        // Remembered: the next window starts with the overlay on.
        app::MainWindow again(std::make_unique<tests::ScriptedPrompts>());
        QVERIFY(again.openProject(project));
        QVERIFY(again.findChild<QAction*>(QStringLiteral("viewCostOverlay"))->isChecked());
        QTRY_VERIFY_WITH_TIMEOUT(
            canvasBlock(again, "conv2") && canvasBlock(again, "conv2")->overlayColor().isValid(), 10000);
    }
};

NETDRAFT_TEST(CostFromWindowTest);
#include "CostFromWindowTest.moc"
