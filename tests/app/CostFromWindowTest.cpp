// The main window's cost collaborator (app/gui/CostPresenter): View ▸ Cost Overlay is off by default,
// has a shortcut no other action takes, tints the canvas when checked and is remembered; the status
// bar's memory-fit line and the Cost panel are there before anything trains. Colours By ▸ Time tints
// the canvas once the Cost panel's Profile has measured the design, and no longer after an edit.

#include "app/gui/MainWindow.h"
#include "editor/BlockItem.h"
#include "editor/CostOverlay.h"
#include "editor/GraphScene.h"
#include "editor/commands/SetParameter.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/editing/CostTableWidget.h"

#include <QAction>
#include <QDockWidget>
#include <QGraphicsView>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
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

    void timeOverlayAfterProfile()
    {
        app::MainWindow window(std::make_unique<tests::ScriptedPrompts>());
        window.resize(1366, 768);
        window.show();
        QVERIFY(window.openProject(QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/classic_cnn.netdraft")));
        auto* byTime = window.findChild<QAction*>(QStringLiteral("viewCostTime"));
        QVERIFY(byTime);
        byTime->trigger(); // shows the overlay, by time
        QVERIFY(window.findChild<QAction*>(QStringLiteral("viewCostOverlay"))->isChecked());
        auto* overlay = window.findChild<editor::CostOverlay*>();
        QVERIFY(overlay);
        QTRY_VERIFY_WITH_TIMEOUT(overlay->legendText().contains("No profile yet"), 10000);
        QVERIFY(!canvasBlock(window, "conv2")->overlayColor().isValid());

        auto* dock = window.findChild<QDockWidget*>(QStringLiteral("costDock"));
        dock->show();
        dock->raise();
        auto* table = qobject_cast<widgets::CostTableWidget*>(dock->widget());
        QSignalSpy profiled(table, &widgets::CostTableWidget::profiled);
        QTest::mouseClick(table->findChild<QPushButton*>(QStringLiteral("profileButton")), Qt::LeftButton);
        QVERIFY(profiled.wait(120000));
        QCOMPARE(profiled.front().front().toString(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(canvasBlock(window, "conv2")->overlayColor().isValid(), 10000);
        const engine::BlockTiming* conv2 = table->measuredProfile()->find("conv2");
        QVERIFY(conv2);
        const QString time = QString::number(conv2->forwardMs + conv2->backwardMs, 'f', 3);
        QVERIFY2(canvasBlock(window, "conv2")->toolTip().contains("time " + time + " ms per batch"),
            qPrintable(canvasBlock(window, "conv2")->toolTip()));
        QVERIFY2(overlay->legendText().startsWith("Cost overlay: time (ms per batch of 64 on cpu) per block "),
            qPrintable(overlay->legendText()));
        // NETDRAFT_SCREENSHOTS=folder keeps a picture of the canvas coloured by time.
        if (const QString shots = qEnvironmentVariable("NETDRAFT_SCREENSHOTS"); !shots.isEmpty()) {
            QTest::qWait(300);
            QVERIFY(window.grab().save(shots + QStringLiteral("/cost-overlay-time.png")));
        }
        // An edit: the times no longer hold, and the canvas says so instead of tinting.
        editor::GraphDocument& document = window.session().document();
        document.push(
            new editor::commands::SetParameter(document, "conv2", "out_channels", engine::ParamValue(int64_t(128))));
        QTRY_VERIFY_WITH_TIMEOUT(overlay->legendText().contains("The profile is out of date"), 10000);
        QVERIFY(!canvasBlock(window, "conv2")->overlayColor().isValid());
        if (const QString shots = qEnvironmentVariable("NETDRAFT_SCREENSHOTS"); !shots.isEmpty()) {
            QTest::qWait(300);
            QVERIFY(window.grab().save(shots + QStringLiteral("/cost-overlay-time-stale.png")));
        }
    }
};

NETDRAFT_TEST(CostFromWindowTest);
#include "CostFromWindowTest.moc"
