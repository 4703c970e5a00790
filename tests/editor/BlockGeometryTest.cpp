// Block titles on the canvas (issue 16, item 7): a block is widened, on the grid, until its header
// shows the display name and the type unelided ("positions  PositionalEncoding", not "posit…"), up to
// a maximum; short titles keep the standard width; the output ports sit on the widened right edge.

#include "editor/BlockGeometry.h"
#include "editor/BlockItem.h"
#include "editor/GraphDocument.h"
#include "editor/GraphScene.h"
#include "editor/PortItem.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QFontMetricsF>
#include <QTest>

#include <cmath>

using namespace netdraft;
using namespace netdraft::editor;

namespace {

/// The header as BlockItem paints it, measured independently: 10 px margins, the bold 9 pt title, an
/// 8 px gap, the 7.5 pt type name when it differs from the title.
double titleRoom(const engine::Block& block, double width)
{
    QFont type;
    type.setPointSizeF(7.5);
    const QString name = QString::fromStdString(block.displayName());
    const double typeWidth = name == QString::fromStdString(block.type)
        ? 0
        : QFontMetricsF(type).horizontalAdvance(QString::fromStdString(block.type));
    return width - 20 - typeWidth - 8;
}

QString paintedTitle(const engine::Block& block, double width)
{
    QFont title;
    title.setPointSizeF(9);
    title.setBold(true);
    return QFontMetricsF(title).elidedText(
        QString::fromStdString(block.displayName()), Qt::ElideRight, titleRoom(block, width));
}

engine::Block block(const std::string& type, const std::string& id, const std::string& name = {})
{
    engine::Block b;
    b.type = type;
    b.id = id;
    b.name = name;
    return b;
}

} // namespace

class BlockGeometryTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void titlesAreShownWhole_data()
    {
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("name");
        QTest::newRow("PositionalEncoding in vit_shapes") << "PositionalEncoding"
                                                          << "positions"
                                                          << "";
        QTest::newRow("PositionalEncoding by default id") << "PositionalEncoding"
                                                          << "positionalencoding1"
                                                          << "";
        QTest::newRow("TransformerEncoderLayer") << "TransformerEncoderLayer"
                                                 << "encoder1"
                                                 << "";
        QTest::newRow("named Conv2d") << "Conv2d"
                                      << "conv1"
                                      << "features2";
    }

    void titlesAreShownWhole()
    {
        QFETCH(QString, type);
        QFETCH(QString, id);
        QFETCH(QString, name);
        const engine::Block b = block(type.toStdString(), id.toStdString(), name.toStdString());
        const double width = geometry::blockSize(b, engine::Graph()).width();
        QCOMPARE(paintedTitle(b, width), QString::fromStdString(b.displayName()));
        QVERIFY2(width < geometry::kMaxBlockWidth, qPrintable(QString::number(width)));
        QCOMPARE(std::fmod(width, geometry::kGrid), 0.0);
        // Not wider than it needs: one grid step narrower would elide (or it is the standard width).
        if (width > geometry::kBlockWidth)
            QVERIFY(paintedTitle(b, width - geometry::kGrid) != QString::fromStdString(b.displayName()));
    }

    void shortTitlesKeepTheStandardWidth()
    {
        QCOMPARE(geometry::blockSize(block("Linear", "fc"), engine::Graph()).width(), geometry::kBlockWidth);
        QCOMPARE(geometry::blockSize(block("ReLU", "relu1"), engine::Graph()).width(), geometry::kBlockWidth);
    }

    void veryLongTitlesStopAtTheMaximum()
    {
        const engine::Block b = block("PositionalEncoding", "positions", std::string(80, 'w'));
        QCOMPARE(geometry::blockSize(b, engine::Graph()).width(), geometry::kMaxBlockWidth);
    }

    void aFrozenBlockMakesRoomForItsPadlock()
    {
        engine::Block b = block("PositionalEncoding", "positions");
        const double open = geometry::blockSize(b, engine::Graph()).width();
        b.frozen = true;
        QVERIFY(geometry::headerWidth(b) > geometry::headerWidth(block("PositionalEncoding", "positions")));
        QVERIFY(geometry::blockSize(b, engine::Graph()).width() >= open);
    }

    void outputPortsSitOnTheWidenedEdge()
    {
        GraphDocument document(tests::classicCnnProject(false));
        GraphScene scene(document);
        const QString id = document.addBlock(QStringLiteral("PositionalEncoding"), QPointF(0, 600));
        BlockItem* item = scene.blockItem(id);
        QVERIFY(item);
        const double width = item->shape().boundingRect().width();
        QVERIFY2(width > geometry::kBlockWidth, qPrintable(id + " " + QString::number(width)));
        bool sawOutput = false;
        for (QGraphicsItem* child : item->childItems())
            if (auto* port = dynamic_cast<PortItem*>(child); port && !port->isInput()) {
                QCOMPARE(port->pos().x(), width);
                sawOutput = true;
            }
        QVERIFY(sawOutput);
    }
};

NETDRAFT_TEST(BlockGeometryTest);
#include "BlockGeometryTest.moc"
