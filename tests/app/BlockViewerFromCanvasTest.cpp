// View Output… from the canvas (app/gui/BlockViewerLauncher): a right click on a block, and on a
// composite instance, opens the viewer; an instance shows its output, which is that of the inner block
// behind its output port, as the engine's viewer gives it apart from the window. Inside an open
// composite the entry is not offered (the ids there are the definition's, not the network's).

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "editor/BlockItem.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "engine/insight/BlockViewer.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/BlockViewerWindow.h"

#include <QAction>
#include <QMenu>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace netdraft;

namespace {

/// The canvas's context menu on block `id`, and its View Output… entry (null when not offered).
QAction* viewOutputEntry(
    editor::GraphView& view, editor::GraphScene& scene, const QString& id, std::unique_ptr<QMenu>& menu)
{
    view.fitToView();
    const QPoint at = view.mapFromScene(scene.blockItem(id)->sceneBoundingRect().center());
    menu.reset(view.contextMenuAt(at));
    if (!menu)
        return nullptr;
    for (QAction* action : menu->actions())
        if (action->objectName() == QLatin1String("viewOutput"))
            return action;
    return nullptr;
}

} // namespace

class BlockViewerFromCanvasTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void anInstanceShowsItsOutput()
    {
        auto window = tests::shownWindow();
        QVERIFY(window->openProject(QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/classic_cnn.netdraft")));
        auto* view = window->findChild<editor::GraphView*>(QStringLiteral("canvas"));
        QVERIFY(view);
        auto& scene = *qobject_cast<editor::GraphScene*>(view->scene());
        std::unique_ptr<QMenu> menu;
        QVERIFY(viewOutputEntry(*view, scene, QStringLiteral("fc"), menu)); // a plain block, as before

        scene.selectBlocks({ "conv1", "relu1", "pool1" });
        const QString instance = scene.groupSelection(QStringLiteral("Stem"));
        QVERIFY(!instance.isEmpty());
        QAction* entry = viewOutputEntry(*view, scene, instance, menu);
        QVERIFY(entry);
        entry->trigger();
        auto* viewer = window->findChild<widgets::BlockViewerWindow*>();
        QVERIFY(viewer);
        QSignalSpy loaded(viewer, &widgets::BlockViewerWindow::loaded);
        QVERIFY(loaded.wait(60000));
        // Stem's output is pool1's: 32 maps of 16×16, the engine's values for test sample 0.
        QCOMPARE(viewer->blockId(), instance + "__pool1");
        QCOMPARE(viewer->output().shape, std::vector<int64_t>({ 32, 16, 16 }));
        const engine::BlockViewer reference(window->session().project(), NETDRAFT_SOURCE_DIR "/projects", "");
        QCOMPARE(viewer->output().values, reference.blockOutput((instance + "__pool1").toStdString(), 0).values);
        // NETDRAFT_SCREENSHOTS=folder keeps a picture of the viewer on the instance.
        if (const QString shots = qEnvironmentVariable("NETDRAFT_SCREENSHOTS"); !shots.isEmpty()) {
            QTest::qWait(300);
            QVERIFY(viewer->grab().save(shots + QStringLiteral("/viewer-instance.png")));
        }
        viewer->close();

        // Inside the open composite the entry is not offered.
        window->session().document().openComposite(QStringLiteral("Stem"));
        QVERIFY(!viewOutputEntry(*view, scene, QStringLiteral("conv1"), menu));
        QVERIFY(menu); // the rest of the menu is there
    }
};

NETDRAFT_TEST(BlockViewerFromCanvasTest);
#include "BlockViewerFromCanvasTest.moc"
