// The main window on a small screen (issue 16, item 7): it fits 1366×768 less a taskbar and title
// bar; every dock, brought to the front in turn, gets at least the room its contents ask for inside
// the window; the Inspector has a dock of its own; the settings forms cut no label and elide a long
// device name with the whole name in the tooltip; selecting a block brings the Inspector to the
// front, showing that block.

#include "app/gui/MainWindow.h"
#include "editor/BlockItem.h"
#include "editor/GraphScene.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/DatasetWidget.h"
#include "widgets/SettingsForm.h"
#include "widgets/TrainingSettingsWidget.h"
#include "widgets/editing/PaletteWidget.h"

#include <QComboBox>
#include <QDockWidget>
#include <QGraphicsView>
#include <QLabel>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace netdraft;

namespace {

// 1366×768 less a 40 px taskbar and a 30 px title bar.
constexpr int kSmallScreenWidth = 1366;
constexpr int kSmallClientHeight = 768 - 40 - 30;

editor::GraphScene* canvasSceneOf(const app::MainWindow& window)
{
    auto* view = window.findChild<QGraphicsView*>(QStringLiteral("canvas"));
    return view ? qobject_cast<editor::GraphScene*>(view->scene()) : nullptr;
}

QDockWidget* namedDock(const app::MainWindow& window, const char* name)
{
    return window.findChild<QDockWidget*>(QString::fromLatin1(name));
}

/// On screen: a dock tabbed behind another stays "visible" to Qt but has nothing showing.
bool shown(const QWidget* widget)
{
    return widget->isVisible() && !widget->visibleRegion().isEmpty();
}

QString describeWidget(const QWidget* widget)
{
    return QStringLiteral("%1 %2×%3 at %4,%5 (asks %6×%7)")
        .arg(widget->objectName())
        .arg(widget->width())
        .arg(widget->height())
        .arg(widget->mapTo(widget->window(), QPoint()).x())
        .arg(widget->mapTo(widget->window(), QPoint()).y())
        .arg(widget->minimumSizeHint().width())
        .arg(widget->minimumSizeHint().height());
}

} // namespace

class WindowLayoutTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

    /// A window on `project` at the small screen's size, its first-start layout applied.
    std::unique_ptr<app::MainWindow> smallWindow(const char* project)
    {
        auto window = std::make_unique<app::MainWindow>(std::make_unique<tests::ScriptedPrompts>());
        window->resize(kSmallScreenWidth, kSmallClientHeight);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return nullptr;
        if (!window->openProject(QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/") + project))
            return nullptr;
        window->resize(kSmallScreenWidth, kSmallClientHeight);
        QTest::qWait(100); // the dock sizes of the first start are set from the event loop
        return window;
    }

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void minimumSizeFitsASmallScreen()
    {
        auto window = smallWindow("vit_shapes.netdraft");
        QVERIFY(window);
        const QSize minimum = window->minimumSizeHint();
        if (minimum.height() > kSmallClientHeight) { // which parts ask for the height
            for (QDockWidget* each : window->findChildren<QDockWidget*>())
                qInfo() << each->objectName() << each->minimumSizeHint();
            qInfo() << "centre" << window->centralWidget()->minimumSizeHint();
        }
        QVERIFY2(minimum.width() <= kSmallScreenWidth && minimum.height() <= kSmallClientHeight,
            qPrintable(QStringLiteral("%1×%2").arg(minimum.width()).arg(minimum.height())));
        QCOMPARE(window->size(), QSize(kSmallScreenWidth, kSmallClientHeight));
    }

    void everyDockFitsInTheWindow()
    {
        auto window = smallWindow("vit_shapes.netdraft");
        QVERIFY(window);
        const QRect inside = window->rect();
        const QList<QDockWidget*> docks = window->findChildren<QDockWidget*>();
        QVERIFY(docks.size() >= 10);
        for (QDockWidget* each : docks) {
            each->raise();
            QTest::qWait(20);
            QVERIFY2(shown(each), qPrintable(each->objectName()));
            QWidget* contents = each->widget();
            const QRect area(contents->mapTo(window.get(), QPoint()), contents->size());
            QVERIFY2(inside.contains(area), qPrintable(describeWidget(contents)));
            QVERIFY2(contents->width() >= contents->minimumSizeHint().width()
                    && contents->height() >= contents->minimumSizeHint().height(),
                qPrintable(describeWidget(contents)));
            QVERIFY2(contents->width() >= 150 && contents->height() >= 90, qPrintable(describeWidget(contents)));
        }
        // The Inspector is not a tab, and tall enough for a layer's parameters.
        QDockWidget* inspector = namedDock(*window, "inspectorDock");
        QVERIFY(window->tabifiedDockWidgets(inspector).isEmpty());
        QVERIFY2(inspector->widget()->height() >= 250, qPrintable(describeWidget(inspector->widget())));
        // The palette shows layer names: as wide as its widest entry, or that entry has a tooltip.
        auto* palette = window->findChild<widgets::PaletteWidget*>();
        QVERIFY(palette);
        QVERIFY2(palette->width() >= 170, qPrintable(describeWidget(palette)));
        for (QTreeWidgetItemIterator it(palette->tree()); *it; ++it) {
            QTreeWidgetItem* item = *it;
            if (item->childCount() > 0 || item->isHidden())
                continue;
            const QRect row = palette->tree()->visualItemRect(item);
            const int text = palette->tree()->fontMetrics().horizontalAdvance(item->text(0));
            QVERIFY2(row.width() >= text + 20 || !item->toolTip(0).isEmpty(), qPrintable(item->text(0)));
        }
    }

    void settingsFormsCutNoText()
    {
        auto window = smallWindow("classic_cnn.netdraft");
        QVERIFY(window);
        const QString device = QStringLiteral(
            "cpu: AMD EPYC 7B13 64-Core Processor, 2 hardware threads; fast mode: oneDNN with AVX-512");
        window->trainingPanel()->setDevices({ { "cpu", device }, { "cuda:0", "cuda:0: NVIDIA H100 80GB HBM3" } });
        for (const char* name : { "datasetDock", "trainingSettingsDock" }) {
            namedDock(*window, name)->raise();
            for (widgets::SettingsForm* form : namedDock(*window, name)->findChildren<widgets::SettingsForm*>()) {
                form->setShowAdvanced(true);
                QTest::qWait(20);
                int labels = 0;
                for (QLabel* label : form->findChildren<QLabel*>()) {
                    if (!label->isVisible() || label->wordWrap() || label->text().isEmpty())
                        continue;
                    ++labels;
                    QVERIFY2(label->sizeHint().width() <= label->width(),
                        qPrintable(label->text() + ": " + describeWidget(label)));
                }
                QVERIFY2(labels >= 5, qPrintable(form->objectName()));
            }
        }
        auto* box = qobject_cast<QComboBox*>(window->trainingPanel()->form()->editor("device"));
        QVERIFY(box);
        QCOMPARE(box->currentText(), device);
        QVERIFY2(box->sizeHint().width() <= box->width(), qPrintable(describeWidget(box)));
        QVERIFY2(box->toolTip().startsWith(device), qPrintable(box->toolTip()));
        QVERIFY(!box->isEditable()); // an editable box would cut the text instead of eliding it
        box->setCurrentIndex(1); // as the user's choice from the list does
        QVERIFY2(box->toolTip().startsWith("cuda:0: NVIDIA H100 80GB HBM3"), qPrintable(box->toolTip()));
    }

    void selectingABlockBringsTheInspectorForward()
    {
        auto window = smallWindow("vit_shapes.netdraft");
        QVERIFY(window);
        QDockWidget* inspector = namedDock(*window, "inspectorDock");
        QDockWidget* dataset = namedDock(*window, "datasetDock");
        // The user tabbed the Inspector behind the Dataset panel.
        window->tabifyDockWidget(dataset, inspector);
        dataset->raise();
        QTRY_VERIFY(!shown(inspector));

        editor::GraphScene* scene = canvasSceneOf(*window);
        QVERIFY(scene);
        editor::BlockItem* block = scene->blockItem(QStringLiteral("positions"));
        QVERIFY(block);
        block->setSelected(true);
        QTRY_VERIFY(shown(inspector));
        auto* name = inspector->findChild<QLineEdit*>(QStringLiteral("blockName"));
        QVERIFY(name);
        QTRY_VERIFY(shown(name));
        QCOMPARE(name->placeholderText(), QStringLiteral("positions")); // unnamed: the id
        auto* maxLength = inspector->findChild<QWidget*>(QStringLiteral("max_len"));
        QVERIFY(maxLength);
        QVERIFY(shown(maxLength));

        dataset->raise();
        QTRY_VERIFY(!shown(inspector));
        scene->clearSelection();
        scene->blockItem(QStringLiteral("fc"))->setSelected(true);
        QTRY_VERIFY(shown(inspector));
        name = nullptr; // a block of another type gets a new form
        for (QLineEdit* each : inspector->findChildren<QLineEdit*>(QStringLiteral("blockName")))
            if (shown(each))
                name = each;
        QVERIFY(name);
        QCOMPARE(name->text(), QStringLiteral("Classifier"));
        QVERIFY(shown(inspector->findChild<QWidget*>(QStringLiteral("out_features"))));

        // A second block added to the selection: the Inspector has nothing to show and stays behind.
        dataset->raise();
        QTRY_VERIFY(!shown(inspector));
        scene->blockItem(QStringLiteral("encoder1"))->setSelected(true);
        QTest::qWait(50);
        QVERIFY(!shown(inspector));
    }
};

NETDRAFT_TEST(WindowLayoutTest);
#include "WindowLayoutTest.moc"
