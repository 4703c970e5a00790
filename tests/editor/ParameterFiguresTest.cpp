// The parameter counts on the canvas (editor/CostOverlay, BlockItem): each block with parameters
// shows its count on its face ("1.31 M params"), equal to the engine's count, with the overlay off;
// the tutorial CNN without pooling gets the "one huge layer" warning on its Linear (badge, tooltip),
// which goes when an edit shrinks the feature map and comes back on undo; a composite instance holding
// that Linear carries it, naming the block inside.

#include "editor/BlockGeometry.h"
#include "editor/BlockItem.h"
#include "editor/CostAnalysis.h"
#include "editor/CostOverlay.h"
#include "editor/GraphScene.h"
#include "editor/commands/SetParameter.h"
#include "engine/insight/NetworkCost.h"
#include "engine/network/CompiledNetwork.h"
#include "tests/editor/EditorTestSupport.h"
#include "tests/engine/TestGraphs.h"
#include "tests/support/TestRegistry.h"

#include <QFontMetricsF>
#include <QGraphicsView>
#include <QImage>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QTest>

#include <algorithm>

using namespace netdraft;

namespace {

/// The tutorial CNN without pooling, its Linear's in_features left to inference (1,310,730 parameters).
engine::Project naiveCnnWithAutoLinear()
{
    engine::Project project = tests::classicCnnProject(false);
    project.graph.block("fc").params["in_features"] = engine::Auto {};
    return project;
}

struct FiguresCanvas {
    explicit FiguresCanvas(engine::Project project)
        : document(std::move(project))
    {
    }
    editor::GraphDocument document;
    editor::GraphScene scene { document };
    QGraphicsView view { &scene };
    editor::CostAnalysis analysis { document };
    editor::CostOverlay overlay { scene, analysis, &view };

    bool counted()
    {
        return QTest::qWaitFor([this] { return tests::waitForShapes(scene) && !analysis.pending(); }, 20000);
    }
    editor::BlockItem& item(const char* id) { return *scene.blockItem(QString::fromLatin1(id)); }
};

const QString kHugeLinearWarning = QStringLiteral(
    "this Linear holds 1.31 M of the network's 1.40 M parameters (93 %) because it receives 131072 flattened "
    "features (128×32×32): add pooling (MaxPool2d or AdaptiveAvgPool2d) before the Flatten to shrink the feature map");

} // namespace

class ParameterFiguresTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void eachBlockShowsItsCount()
    {
        FiguresCanvas canvas(tests::classicCnnProject(true));
        QVERIFY(canvas.counted());
        QVERIFY(!canvas.overlay.metric()); // the overlay is off: the counts show anyway
        const engine::NetworkCost cost = engine::costOf(engine::CompiledNetwork::compile(tests::classicCnn(true)));
        for (const engine::BlockCost& block : cost.blocks) {
            const QString figure = canvas.item(block.id.c_str()).parameterFigure();
            if (block.parameters() == 0)
                QVERIFY2(figure.isEmpty(), block.id.c_str());
            else
                QCOMPARE(figure, QString::fromStdString(engine::formatCount(block.parameters()) + " params"));
        }
        QCOMPARE(canvas.item("conv1").parameterFigure(), QStringLiteral("896 params")); // 32·3·9 + 32
        QCOMPARE(canvas.item("fc").parameterFigure(), QStringLiteral("20.49 k params")); // 10·2048 + 10
        QVERIFY(canvas.item("fc").warnings().isEmpty()); // with pooling: no warning
        QCOMPARE(editor::parameterTotalText(canvas.analysis.report()), QStringLiteral("Parameters: 113.74 k"));
    }

    void theHugeLinearIsWarnedOf()
    {
        FiguresCanvas canvas(naiveCnnWithAutoLinear());
        QVERIFY(canvas.counted());
        editor::BlockItem& fc = canvas.item("fc");
        QCOMPARE(fc.parameterFigure(), QStringLiteral("1.31 M params"));
        QCOMPARE(fc.warnings(), QStringList { kHugeLinearWarning });
        QVERIFY(!fc.hasErrors()); // a warning, not an error
        QVERIFY2(fc.toolTip().contains(kHugeLinearWarning.toHtmlEscaped()), qPrintable(fc.toolTip()));
        QVERIFY2(fc.toolTip().contains("1.31 M parameters"), qPrintable(fc.toolTip()));
        QVERIFY(canvas.item("conv3").warnings().isEmpty());
        QCOMPARE(editor::parameterTotalText(canvas.analysis.report()), QStringLiteral("Parameters: 1.40 M"));
        QCOMPARE(editor::parameterTotalToolTip(canvas.analysis.report()),
            QStringLiteral("1403978 parameters: 1403978 trainable, 0 frozen"));

        // An 8×8 input: 8192 features, the Linear 81,930 of 175,178 parameters, no warning.
        canvas.document.push(new editor::commands::SetParameter(
            canvas.document, "input", "shape", engine::ParamValue(engine::IntList { 3, 8, 8 })));
        QVERIFY(canvas.counted());
        QCOMPARE(fc.parameterFigure(), QStringLiteral("81.93 k params"));
        QVERIFY(fc.warnings().isEmpty());
        QVERIFY(!fc.toolTip().contains("flattened features"));
        canvas.document.undoStack()->undo();
        QVERIFY(canvas.counted());
        QCOMPARE(fc.warnings(), QStringList { kHugeLinearWarning });
    }

    void theCountIsAsLegibleAsTheParameterLines()
    {
        // 8 pt text, the size of the key parameter lines, not the 7 pt it was: the font, the pill
        // fitting the figure measured in an independent 8 pt font, and the ink drawn at 100 % as
        // tall as that font's glyphs.
        FiguresCanvas canvas(tests::classicCnnProject(true));
        QVERIFY(canvas.counted());
        editor::BlockItem& conv1 = canvas.item("conv1");
        QCOMPARE(conv1.parameterFigure(), QStringLiteral("896 params"));
        QVERIFY(editor::geometry::parameterCountFont().pointSizeF() >= 8.0);
        QCOMPARE(editor::geometry::parameterCountFont().pointSizeF(), editor::geometry::parameterLineFont().pointSizeF());
        QFont eightPoints;
        eightPoints.setPointSizeF(8);
        const QFontMetricsF reference(eightPoints);
        const QRectF pill = conv1.parameterPillRect();
        QVERIFY(pill.width() >= reference.horizontalAdvance(conv1.parameterFigure()));
        QVERIFY(pill.height() >= reference.height());

        QImage image(pill.size().toSize() + QSize(2, 2), QImage::Format_RGB32);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            painter.translate(-pill.topLeft() + QPointF(1, 1));
            QStyleOptionGraphicsItem option;
            conv1.paint(&painter, &option, nullptr);
        }
        // Rows holding the figure's dark ink, inside the pill's outline.
        int top = image.height();
        int bottom = -1;
        for (int y = 3; y < image.height() - 3; ++y)
            for (int x = 3; x < image.width() - 3; ++x)
                if (QColor(image.pixel(x, y)).lightness() < 170) {
                    top = std::min(top, y);
                    bottom = std::max(bottom, y);
                }
        const double inkHeight = bottom - top + 1;
        const double expected = reference.tightBoundingRect(conv1.parameterFigure()).height();
        qInfo("the count's ink %g px high; %s in 8 pt: %g px", inkHeight, qPrintable(conv1.parameterFigure()), expected);
        QVERIFY2(inkHeight >= expected - 0.5,
            qPrintable(QStringLiteral("ink %1 px, 8 pt glyphs %2 px").arg(inkHeight).arg(expected)));
    }

    void aCompositeCarriesTheWarningOfTheBlockInside()
    {
        FiguresCanvas canvas(naiveCnnWithAutoLinear());
        canvas.scene.selectBlocks({ "flatten", "fc" });
        QVERIFY(!canvas.scene.groupSelection("Head").isEmpty());
        QVERIFY(canvas.counted());
        QString instance;
        for (const engine::Block& block : canvas.document.graph().blocks())
            if (block.type == "Head")
                instance = QString::fromStdString(block.id);
        QVERIFY(!instance.isEmpty());
        editor::BlockItem& head = *canvas.scene.blockItem(instance);
        QCOMPARE(head.warnings(), QStringList { "inside Head, block fc: " + kHugeLinearWarning });
        QCOMPARE(head.parameterFigure(), QStringLiteral("1.31 M params"));
    }

    void aDesignWithErrorsShowsNoCount()
    {
        FiguresCanvas canvas(tests::classicCnnProject(false)); // in_features pinned to 128: an error
        QVERIFY(canvas.counted());
        QVERIFY(canvas.item("fc").parameterFigure().isEmpty());
        QVERIFY(canvas.item("fc").warnings().isEmpty());
        QCOMPARE(editor::parameterTotalText(canvas.analysis.report()), QStringLiteral("Parameters: –"));
    }
};

NETDRAFT_TEST(ParameterFiguresTest);
#include "ParameterFiguresTest.moc"
