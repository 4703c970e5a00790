// The palette: catalogue grouped by category, search, help tooltips, and its drag data dropped
// onto the canvas.

#include "widgets/editing/PaletteWidget.h"
#include "editor/BlockItem.h"
#include "editor/CompositeLibrary.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"
#include "editor/MimeTypes.h"
#include "engine/layers/LayerRegistry.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QUndoStack>

#include <memory>

using namespace netdraft;

namespace {
QTreeWidgetItem* findLayer(QTreeWidget* tree, const QString& type)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        for (int j = 0; j < tree->topLevelItem(i)->childCount(); ++j)
            if (tree->topLevelItem(i)->child(j)->data(0, Qt::UserRole).toString() == type)
                return tree->topLevelItem(i)->child(j);
    return nullptr;
}
} // namespace

class PaletteWidgetTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyLayerUnderItsCategory()
    {
        widgets::PaletteWidget palette;
        int layers = 0;
        for (int i = 0; i < palette.tree()->topLevelItemCount(); ++i)
            layers += palette.tree()->topLevelItem(i)->childCount();
        QCOMPARE(layers, static_cast<int>(engine::LayerRegistry::instance().all().size()));
        QTreeWidgetItem* conv = findLayer(palette.tree(), "Conv2d");
        QVERIFY(conv);
        QCOMPARE(conv->parent()->text(0), QString(engine::category::kConvolution));
        const std::string help = engine::LayerRegistry::instance().find("Conv2d")->description().help;
        QVERIFY(conv->toolTip(0).contains(QString::fromStdString(help).toHtmlEscaped()));
    }

    void searchFiltersLayers()
    {
        widgets::PaletteWidget palette;
        QTest::keyClicks(palette.searchField(), "pool");
        QVERIFY(!findLayer(palette.tree(), "MaxPool2d")->isHidden());
        QVERIFY(findLayer(palette.tree(), "Conv2d")->isHidden());
        QVERIFY(findLayer(palette.tree(), "Conv2d")->parent()->isHidden()); // empty categories hide too
        palette.searchField()->clear();
        QVERIFY(!findLayer(palette.tree(), "Conv2d")->isHidden());
    }

    void theLayerNamedComesFirstInASearch()
    {
        widgets::PaletteWidget palette;
        QTreeWidgetItem* activation = findLayer(palette.tree(), "ReLU")->parent();
        QStringList before;
        for (int j = 0; j < activation->childCount(); ++j)
            before << activation->child(j)->text(0);
        auto visible = [](QTreeWidgetItem* category) {
            QStringList names;
            for (int j = 0; j < category->childCount(); ++j)
                if (!category->child(j)->isHidden())
                    names << category->child(j)->text(0);
            return names;
        };
        // A user typing a layer's name drags the first entry: it must be that layer, not LeakyReLU.
        QTest::keyClicks(palette.searchField(), "relu");
        QCOMPARE(visible(activation).mid(0, 2), QStringList({ "ReLU", "ReLU6" }));
        QVERIFY(visible(activation).contains("LeakyReLU"));
        palette.searchField()->clear();
        QTest::keyClicks(palette.searchField(), "MaxPool2d");
        QTreeWidgetItem* pooling = findLayer(palette.tree(), "MaxPool2d")->parent();
        QCOMPARE(visible(pooling), QStringList({ "MaxPool2d", "AdaptiveMaxPool2d" }));
        palette.searchField()->clear();
        QStringList after;
        for (int j = 0; j < activation->childCount(); ++j)
            after << activation->child(j)->text(0);
        QCOMPARE(after, before); // no search: the catalogue's order again
    }

    void dragDataDropsOntoTheCanvas()
    {
        widgets::PaletteWidget palette;
        QTreeWidgetItem* item = findLayer(palette.tree(), "MaxPool2d");
        const QModelIndex index = palette.tree()->indexFromItem(item);
        std::unique_ptr<QMimeData> mime(palette.tree()->model()->mimeData({ index }));
        QVERIFY(mime);
        QCOMPARE(mime->data(editor::kLayerTypeMimeType), QByteArray("MaxPool2d"));

        editor::GraphDocument document(tests::classicCnnProject(false));
        editor::GraphScene scene(document);
        editor::GraphView view(&scene);
        view.resize(800, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // Onto the relu1 → conv2 connection: the pooling goes into it.
        const engine::Connection wire = *document.graph().connectionInto({ "conv2", "in" });
        const QPointF from = scene.portScenePosition(wire.from, false), to = scene.portScenePosition(wire.to, true);
        const QPointF middle = (from + to) / 2;
        view.centerOn(middle);
        QDragEnterEvent enter(view.mapFromScene(middle), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view.viewport(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(view.mapFromScene(middle), Qt::CopyAction, mime.get(), Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(view.viewport(), &drop);
        QVERIFY(drop.isAccepted());
        QCOMPARE(document.graph().connectionInto({ "maxpool2d1", "in" })->from.block, std::string("relu1"));
        QCOMPARE(document.graph().connectionInto({ "conv2", "in" })->from.block, std::string("maxpool2d1"));
        QCOMPARE(document.inference().find("conv2")->output->toString(), std::string("N\u00d764\u00d716\u00d716"));
    }

    void compositeSectionListsProjectAndLibraryBlocks()
    {
        QTemporaryDir library;
        editor::GraphDocument document(tests::classicCnnProject(true));
        editor::GraphScene scene(document);
        editor::GraphView view(&scene);
        widgets::PaletteWidget palette;
        palette.setLibraryFolder(library.path());
        palette.setDocument(&document);
        QVERIFY(palette.compositeTypes().isEmpty());
        scene.selectBlocks({ "conv1", "relu1" });
        QCOMPARE(scene.groupSelection("ConvLayer"), QString("convlayer1"));
        QCOMPARE(palette.compositeTypes(), QStringList { "ConvLayer" }); // follows the document
        QTreeWidgetItem* item = findLayer(palette.tree(), "ConvLayer");
        QVERIFY(item && item->parent()->text(0) == "Composite");
        QVERIFY(item->toolTip(0).contains("2 inner blocks"));
        QVERIFY(scene.saveCompositeToLibrary(editor::CompositeLibrary(library.path())));
        document.undoStack()->undo(); // the project no longer has it; the library still does
        palette.refreshComposites();
        QCOMPARE(palette.compositeTypes(), QStringList { "ConvLayer" });
        QCOMPARE(findLayer(palette.tree(), "ConvLayer")->text(0), QString("ConvLayer (library)"));

        // Placing a composite of the project, as the palette's double-click does.
        document.undoStack()->redo();
        const QString id = scene.addBlockAt("ConvLayer", { 0, 400 });
        QCOMPARE(id, QString("convlayer2"));
        QCOMPARE(document.graph().block("convlayer2").type, std::string("ConvLayer"));
        QCOMPARE(scene.blockItem(id)->inputPorts().size(), size_t(1));
    }

    void compositeContextMenuRenamesAndDeletes()
    {
        QTemporaryDir library;
        editor::GraphDocument document(tests::classicCnnProject(true));
        editor::GraphScene scene(document);
        widgets::PaletteWidget palette;
        palette.setLibraryFolder(library.path());
        palette.setDocument(&document);
        scene.selectBlocks({ "conv1", "relu1" });
        QCOMPARE(scene.groupSelection("ConvLayer"), QString("convlayer1"));
        QVERIFY(!palette.compositeMenu("Conv2d")); // layers have no such menu
        std::unique_ptr<QMenu> menu(palette.compositeMenu("ConvLayer"));
        QVERIFY(menu);
        QAction* rename = menu->findChild<QAction*>("renameComposite");
        QAction* remove = menu->findChild<QAction*>("deleteComposite");
        QVERIFY(rename && remove);
        QCOMPARE(rename->text(), QString("Rename ConvLayer\u2026"));
        QMenu* ports = menu->findChild<QMenu*>("renameCompositePort");
        QVERIFY(ports && ports->isEnabled());
        QVERIFY(ports->findChild<QAction*>("input:in") && ports->findChild<QAction*>("output:out"));
        QVERIFY(palette.renameCompositePort("ConvLayer", true, "in", "features"));
        QCOMPARE(document.graph().connectionInto({ "convlayer1", "features" })->from.block, std::string("input"));
        document.undoStack()->undo();
        QVERIFY(document.graph().connectionInto({ "convlayer1", "in" }));

        // Rename through the menu's dialog: the palette, the instance and the undo stack follow.
        QTimer::singleShot(0, [] {
            auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            dialog->setTextValue("Block");
            dialog->accept();
        });
        rename->trigger();
        QCOMPARE(palette.compositeTypes(), QStringList { "Block" });
        QCOMPARE(document.graph().block("convlayer1").type, std::string("Block"));
        QCOMPARE(document.undoStack()->undoText(), QString("Rename composite ConvLayer to Block"));

        // Delete while used: the question names the instance; answering Yes ungroups it and deletes.
        QString question;
        QTimer::singleShot(0, [&question] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            question = box->text();
            box->button(QMessageBox::Yes)->click();
        });
        std::unique_ptr<QMenu> again(palette.compositeMenu("Block"));
        again->findChild<QAction*>("deleteComposite")->trigger();
        QVERIFY2(question.contains("Block is used by convlayer1"), qPrintable(question));
        QVERIFY(palette.compositeTypes().isEmpty());
        QVERIFY(document.graph().findBlock("conv1") && !document.graph().findBlock("convlayer1"));

        // Undo brings the definition back; a refused rename says why.
        document.undoStack()->undo();
        QCOMPARE(palette.compositeTypes(), QStringList { "Block" });
        QSignalSpy messages(&palette, &widgets::PaletteWidget::statusMessage);
        QVERIFY(!palette.renameComposite("Block", "Conv2d"));
        QCOMPARE(messages.count(), 1);
        QVERIFY(messages.front().front().toString().contains("is a layer type"));
        QVERIFY(!palette.deleteComposite("Block"));
        QVERIFY(messages.back().front().toString().contains("still used by convlayer1"));
    }
};

NETDRAFT_TEST(PaletteWidgetTest);
#include "PaletteWidgetTest.moc"
