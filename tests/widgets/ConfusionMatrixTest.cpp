// The confusion matrix draws each cell's count whenever the cell is big enough for it in a legible
// font (at least 9 pt), and none when the cells are too small (the tooltips carry them then): the
// counts are found in the drawn pixels, their glyphs as tall as an independent 9 pt font's.

#include "tests/support/TestRegistry.h"
#include "widgets/ConfusionMatrixWidget.h"

#include <QFontMetricsF>
#include <QImage>
#include <QTest>

#include <algorithm>
#include <map>

using namespace netdraft;
using widgets::ConfusionMatrixWidget;

namespace {

/// A 10×10 matrix like a CIFAR run's: tens on the diagonal, single figures elsewhere, one 1000.
std::vector<std::vector<int64_t>> matrixTenClasses()
{
    std::vector<std::vector<int64_t>> counts(10, std::vector<int64_t>(10));
    for (int t = 0; t < 10; ++t)
        for (int p = 0; p < 10; ++p)
            counts[t][p] = t == p ? 40 + t : (t * 7 + p * 3) % 10;
    counts[3][3] = 1000;
    return counts;
}

QStringList matrixTenNames()
{
    return { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck" };
}

/// Height in pixels of what is drawn inside `cell` in colours other than its fill (the count's ink),
/// 0 when nothing is; the cell's edges are left out.
int countInkHeight(const QImage& image, const QRect& cell)
{
    const QRect inside = cell.adjusted(2, 2, -2, -2);
    std::map<QRgb, int> colours;
    for (int y = inside.top(); y <= inside.bottom(); ++y)
        for (int x = inside.left(); x <= inside.right(); ++x)
            ++colours[image.pixel(x, y)];
    QRgb fill = 0;
    int most = 0;
    for (const auto& [colour, count] : colours)
        if (count > most) {
            most = count;
            fill = colour;
        }
    int top = -1;
    int bottom = -1;
    for (int y = inside.top(); y <= inside.bottom(); ++y)
        for (int x = inside.left(); x <= inside.right(); ++x) {
            const QColor pixel(image.pixel(x, y));
            const QColor background(fill);
            // Antialiased edges differ a little; the glyphs' strokes differ a lot.
            if (std::abs(pixel.lightness() - background.lightness()) > 60) {
                if (top < 0)
                    top = y;
                bottom = y;
            }
        }
    return top < 0 ? 0 : bottom - top + 1;
}

} // namespace

class ConfusionMatrixTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void countsAreDrawnInLargeCells()
    {
        ConfusionMatrixWidget matrix;
        matrix.setMatrix(matrixTenClasses(), matrixTenNames());
        matrix.resize(560, 560); // about 40 px a cell, as in the large results window at 1366×768
        matrix.show();
        QVERIFY(QTest::qWaitForWindowExposed(&matrix));
        QVERIFY(matrix.cellRect(0, 0).width() >= 36);
        QVERIFY(matrix.cellCountsShown());
        QVERIFY(matrix.cellCountFont().pointSizeF() >= 9.0);

        QFont ninePoints = matrix.font();
        ninePoints.setPointSizeF(9);
        const double digitHeight = QFontMetricsF(ninePoints).tightBoundingRect(QStringLiteral("0")).height();
        const QImage image = matrix.grab().toImage();
        const double scale = image.devicePixelRatio();
        for (int row = 0; row < 10; ++row)
            for (int column = 0; column < 10; ++column) {
                const QRect cell = matrix.cellRect(row, column);
                const QRect pixels(cell.topLeft() * scale, cell.size() * scale);
                const int height = countInkHeight(image, pixels);
                QVERIFY2(height >= (digitHeight - 1) * scale,
                    qPrintable(QStringLiteral("cell %1,%2: ink %3 px, 9 pt digits %4 px")
                                   .arg(row)
                                   .arg(column)
                                   .arg(height)
                                   .arg(digitHeight)));
            }
    }

    void smallCellsLeaveTheCountsToTheTooltips()
    {
        ConfusionMatrixWidget matrix;
        matrix.setMatrix(matrixTenClasses(), matrixTenNames());
        matrix.resize(240, 150); // about 10 px a cell: as the docked tab was at 1366×768
        matrix.show();
        QVERIFY(QTest::qWaitForWindowExposed(&matrix));
        QVERIFY(!matrix.cellCountsShown());
        const QImage image = matrix.grab().toImage();
        const double scale = image.devicePixelRatio();
        for (int row = 0; row < 10; ++row) {
            const QRect cell = matrix.cellRect(row, row);
            QCOMPARE(countInkHeight(image, QRect(cell.topLeft() * scale, cell.size() * scale)), 0);
        }
        const QRect cell = matrix.cellRect(3, 3);
        QVERIFY2(matrix.toolTipAt(cell.center()).contains(QStringLiteral(": 1000")),
            qPrintable(matrix.toolTipAt(cell.center())));
    }

    void aWideCountNeedsAWideCell()
    {
        // The widest count decides: 1000 needs more room than 9, and the font never shrinks below
        // 9 pt to squeeze it in.
        ConfusionMatrixWidget matrix;
        QFont small = matrix.font();
        small.setPointSizeF(7);
        matrix.setFont(small);
        QCOMPARE(matrix.cellCountFont().pointSizeF(), 9.0);
        std::vector<std::vector<int64_t>> counts = matrixTenClasses();
        matrix.setMatrix(counts, matrixTenNames());
        const QFontMetrics nine(matrix.cellCountFont());
        // Find a size whose cells fit "41" but not "1000".
        int side = 120;
        const int fitsTwoDigits = std::max(nine.horizontalAdvance(QStringLiteral("41")) + 6, nine.height() + 3);
        while (matrix.resize(side, side), matrix.cellRect(0, 0).width() < fitsTwoDigits)
            side += 10;
        QVERIFY(matrix.cellRect(0, 0).width() < nine.horizontalAdvance(QStringLiteral("1000")) + 4);
        QVERIFY(!matrix.cellCountsShown());
        counts[3][3] = 43;
        matrix.setMatrix(counts, matrixTenNames());
        QVERIFY(matrix.cellCountsShown());
    }
};

NETDRAFT_TEST(ConfusionMatrixTest);
#include "ConfusionMatrixTest.moc"
