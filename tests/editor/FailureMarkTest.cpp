// The block a failed run stopped at, on the canvas (editor/FailureMark): its item carries a dark-red
// ring and a NaN/inf tag (not the error outline and badge) with the finding in its tooltip; a block
// inside a composite marks the instance, and the inner block while the composite is open (nested
// ones too); any undoable edit clears the mark, opening and closing a composite does not.

#include "editor/FailureMark.h"
#include "editor/BlockItem.h"
#include "editor/GraphScene.h"
#include "editor/commands/SetParameter.h"
#include "engine/io/ProjectFormat.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

using namespace netdraft;
using editor::BlockItem;
using editor::FailureMark;
using editor::RunFailure;

namespace {

const QString kDetail = QStringLiteral("output became infinite in forward; its input ranged -1.59 … 2.21");

/// The blocks of the shown graph that carry the failure mark.
QStringList markedItems(const editor::GraphScene& scene)
{
    QStringList marked;
    for (const engine::Block& block : scene.document().graph().blocks())
        if (BlockItem* item = scene.blockItem(QString::fromStdString(block.id)); item && item->isFailureMarked())
            marked << QString::fromStdString(block.id);
    return marked;
}

/// The colour `item` paints at `point` (item coordinates) over a white background.
QColor paintedAt(BlockItem& item, QPointF point)
{
    constexpr int kMargin = 30;
    QImage image(item.blockRect().size().toSize() + QSize(2 * kMargin, 2 * kMargin), QImage::Format_ARGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.translate(kMargin, kMargin);
    item.paint(&painter, nullptr, nullptr);
    painter.end();
    return image.pixelColor((point + QPointF(kMargin, kMargin)).toPoint());
}

QString instanceOf(const editor::GraphDocument& document, const std::string& type)
{
    for (const engine::Block& block : document.graph().blocks())
        if (block.type == type)
            return QString::fromStdString(block.id);
    return {};
}

} // namespace

class FailureMarkTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void marksTheBlockAndAnEditClearsIt()
    {
        editor::GraphDocument document(tests::classicCnnProject(true));
        editor::GraphScene scene(document);
        FailureMark mark(scene);
        QSignalSpy changed(&mark, &FailureMark::changed);
        mark.show({ "conv2", "conv2", kDetail });
        QCOMPARE(markedItems(scene), QStringList { "conv2" });
        QCOMPARE(mark.markedBlock(), QString("conv2"));
        QCOMPARE(mark.text(), "Training stopped: " + kDetail);
        BlockItem* conv2 = scene.blockItem("conv2");
        QVERIFY2(
            conv2->toolTip().contains(("Training stopped: " + kDetail).toHtmlEscaped()), qPrintable(conv2->toolTip()));
        QCOMPARE(conv2->failureText(), "Training stopped: " + kDetail);
        QVERIFY(!conv2->hasErrors()); // not a design error: Train is not refused because of it
        QVERIFY(!conv2->failureTagRect().isEmpty());
        QVERIFY(conv2->boundingRect().contains(conv2->failureTagRect()));
        QVERIFY(changed.count() >= 1);

        // An edit, of any block, may have fixed it: the mark goes.
        changed.clear();
        document.push(
            new editor::commands::SetParameter(document, "fc", "out_features", engine::ParamValue(int64_t(9))));
        QVERIFY(markedItems(scene).isEmpty());
        QVERIFY(mark.markedBlock().isEmpty());
        QVERIFY(!mark.failure());
        QVERIFY(!conv2->toolTip().contains("Training stopped"));
        QVERIFY(conv2->failureTagRect().isEmpty());
        QCOMPARE(changed.count(), 1);
        // ... and undoing that edit is an edit too: the mark stays away.
        mark.show({ "conv2", "", kDetail });
        QCOMPARE(markedItems(scene), QStringList { "conv2" }); // an empty run block: the canvas block
        document.undoStack()->undo();
        QVERIFY(markedItems(scene).isEmpty());
    }

    void theMarkIsDrawnApartFromTheErrorOutline()
    {
        // A ring outside the card, where an error's outline (on the card's edge) leaves white, and a tag
        // over the top-left corner saying what the block gave.
        const engine::Graph graph = tests::classicCnn(true);
        BlockItem item(graph.block("conv2"));
        const QPointF ringPoint(-5, item.blockRect().height() / 2);
        QCOMPARE(paintedAt(item, ringPoint), QColor(Qt::white));
        item.setFailure("inf", "Training stopped: " + kDetail);
        const QColor ring = paintedAt(item, ringPoint);
        QVERIFY2(
            ring.red() > 100 && ring.red() < 160 && ring.green() < 60 && ring.blue() < 60, qPrintable(ring.name()));
        const QColor tag = paintedAt(item, item.failureTagRect().topLeft() + QPointF(4, 9));
        QVERIFY2(tag.red() < 160 && tag.green() < 60, qPrintable(tag.name()));
        item.setFailure({}, {});
        QCOMPARE(paintedAt(item, ringPoint), QColor(Qt::white));
    }

    void aBlockInsideACompositeMarksTheInstanceThenTheInnerBlock()
    {
        tests::GroupedCanvas grouped(true, { { { "conv1", "relu1", "pool1" }, "Stem" } });
        const QString instance = instanceOf(grouped.document, "Stem");
        QVERIFY(!instance.isEmpty());
        FailureMark mark(grouped.scene);
        mark.show({ instance, instance + "__relu1", kDetail });
        QCOMPARE(markedItems(grouped.scene), QStringList { instance });
        QCOMPARE(mark.text(), "Training stopped at block relu1 inside it: " + kDetail);
        // Opening the composite is navigation, not an edit: the inner block carries the mark.
        grouped.document.openComposite("Stem");
        QCOMPARE(markedItems(grouped.scene), QStringList { "relu1" });
        QCOMPARE(mark.markedBlock(), QString("relu1"));
        QCOMPARE(mark.text(), "Training stopped: " + kDetail);
        QVERIFY(grouped.scene.blockItem("relu1")->toolTip().contains("Training stopped: output became infinite"));
        grouped.document.closeComposite();
        QCOMPARE(markedItems(grouped.scene), QStringList { instance });
    }

    void nestedCompositesMarkEachLevel_data()
    {
        QTest::addColumn<QString>("scope");
        QTest::addColumn<QString>("marked");
        QTest::newRow("project graph") << ""
                                       << "ir3";
        QTest::newRow("InvertedResidualSkip") << "InvertedResidualSkip"
                                              << "block";
        QTest::newRow("InvertedResidual") << "InvertedResidual"
                                          << "dw";
    }

    void nestedCompositesMarkEachLevel()
    {
        // ir3 is an InvertedResidualSkip whose "block" is an InvertedResidual; its depthwise conv failed.
        QFETCH(QString, scope);
        QFETCH(QString, marked);
        const engine::Project project
            = engine::loadProjectFile(NETDRAFT_SOURCE_DIR "/projects/mobilenetv2_shapes.netdraft");
        const RunFailure failure { "ir3", "ir3__block__dw", kDetail };
        QCOMPARE(QString::fromStdString(editor::failedBlockIn(project.graph, scope.toStdString(), failure)), marked);
        editor::GraphDocument document(project);
        editor::GraphScene scene(document);
        FailureMark mark(scene);
        mark.show(failure);
        if (!scope.isEmpty())
            document.openComposite(scope);
        QCOMPARE(markedItems(scene), QStringList { marked });
        if (scope.isEmpty())
            QCOMPARE(mark.text(), "Training stopped at block block/dw inside it: " + kDetail);
        if (scope == "InvertedResidualSkip")
            QCOMPARE(mark.text(), "Training stopped at block dw inside it: " + kDetail);
        // ir2 is a plain InvertedResidual: its failure has no place inside InvertedResidualSkip.
        const RunFailure other { "ir2", "ir2__dw", kDetail };
        QCOMPARE(
            QString::fromStdString(editor::failedBlockIn(project.graph, "InvertedResidualSkip", other)), QString());
        QCOMPARE(
            QString::fromStdString(editor::failedBlockIn(project.graph, "InvertedResidual", other)), QString("dw"));
    }
};

NETDRAFT_TEST(FailureMarkTest);
#include "FailureMarkTest.moc"
