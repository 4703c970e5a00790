// The results panel's numbers add up (issue 16, item 10): a confusion-matrix cell's samples are all
// in the gallery, a page of 48 at a time; samples whose input is not kept are counted and explained;
// the matrix names its columns like its rows.

#include "tests/support/TestRegistry.h"
#include "widgets/ConfusionMatrixWidget.h"
#include "widgets/PredictionGalleryWidget.h"
#include "widgets/TrainingResultsWidget.h"

#include <QImage>
#include <QLabel>
#include <QTest>

#include <set>

using namespace netdraft;
using widgets::ConfusionMatrixWidget;
using widgets::PredictionGalleryWidget;

namespace {

/// `counts[t][p]` samples of true class t predicted as p, in a shuffled order; 2×2 grey images whose
/// inputs are kept for the first `kept` samples only.
engine::TestPredictions makePredictions(const std::vector<std::vector<int>>& counts, int64_t kept = -1)
{
    engine::TestPredictions predictions;
    predictions.images = true;
    predictions.sampleShape = { 1, 2, 2 };
    for (size_t c = 0; c < counts.size(); ++c)
        predictions.classNames.push_back("class " + std::to_string(c));
    std::vector<std::pair<int64_t, int64_t>> pairs;
    for (size_t t = 0; t < counts.size(); ++t)
        for (size_t p = 0; p < counts[t].size(); ++p)
            for (int i = 0; i < counts[t][p]; ++i)
                pairs.emplace_back(int64_t(t), int64_t(p));
    // Interleave the cells, as a real test split would.
    for (size_t i = 0; i < pairs.size(); i += 3)
        std::swap(pairs[i], pairs[pairs.size() - 1 - i]);
    for (size_t i = 0; i < pairs.size(); ++i) {
        engine::PredictedSample sample;
        sample.index = int64_t(i);
        sample.sample.label = pairs[i].first;
        sample.predicted = pairs[i].second;
        sample.confidence = 0.5;
        if (kept < 0 || int64_t(i) < kept)
            sample.sample.pixels = { 10, 80, 160, 240 };
        predictions.samples.push_back(sample);
    }
    predictions.testSamples = int64_t(pairs.size());
    predictions.keptSamples = kept < 0 ? predictions.testSamples : kept;
    predictions.maxKeptBytes = 128ll << 20;
    return predictions;
}

/// The indexes of the samples of cell (t, p), counted from the predictions, not through the gallery.
std::set<int64_t> indexesOf(const engine::TestPredictions& predictions, int64_t t, int64_t p)
{
    std::set<int64_t> indexes;
    for (const auto& sample : predictions.samples)
        if (sample.sample.label == t && sample.predicted == p)
            indexes.insert(sample.index);
    return indexes;
}

/// Pixels in `area` of `image` that differ from its top-left corner (text drawn there).
int inkIn(const QImage& image, const QRect& area)
{
    const QRgb background = image.pixel(0, 0);
    int ink = 0;
    for (int y = std::max(0, area.top()); y <= std::min(image.height() - 1, area.bottom()); ++y)
        for (int x = std::max(0, area.left()); x <= std::min(image.width() - 1, area.right()); ++x)
            ink += image.pixel(x, y) != background;
    return ink;
}

} // namespace

class ResultsGalleryTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pagesThroughEverySampleOfACell()
    {
        const engine::TestPredictions predictions = makePredictions({ { 20, 143, 1 }, { 5, 60, 0 }, { 2, 3, 49 } });
        PredictionGalleryWidget gallery;
        gallery.setPredictions(predictions);
        QCOMPARE(gallery.selectedCount(), 283);
        QVERIFY2(gallery.caption().startsWith(QStringLiteral("All 283 test samples, 154 of them wrong")),
            qPrintable(gallery.caption()));
        QCOMPARE(gallery.shownCount(), PredictionGalleryWidget::kPageSize);

        gallery.showCell(0, 1);
        QCOMPARE(gallery.caption(), QStringLiteral("True class 0, predicted class 1: 143 test samples."));
        QCOMPARE(gallery.pageCount(), 3);
        QCOMPARE(gallery.pageText(), QStringLiteral("1–48 of 143"));
        std::set<int64_t> listed;
        int shown = 0;
        const QStringList expectedPages { "1–48 of 143", "49–96 of 143", "97–143 of 143" };
        for (int page = 0; page < 3; ++page) {
            QCOMPARE(gallery.page(), page);
            QCOMPARE(gallery.pageText(), expectedPages[page]);
            shown += gallery.shownCount();
            for (int64_t index : gallery.shownIndexes())
                listed.insert(index);
            gallery.nextPage();
        }
        QCOMPARE(gallery.page(), 2); // no page after the last
        QCOMPARE(shown, 143);
        QCOMPARE(listed, indexesOf(predictions, 0, 1));
        gallery.previousPage();
        QCOMPARE(gallery.pageText(), QStringLiteral("49–96 of 143"));

        // A cell of one page, and an empty one.
        gallery.showCell(2, 2);
        QCOMPARE(gallery.pageCount(), 2);
        gallery.showCell(0, 2);
        QCOMPARE(gallery.shownCount(), 1);
        QCOMPARE(gallery.caption(), QStringLiteral("True class 0, predicted class 2: 1 test sample."));
        gallery.showCell(1, 2);
        QCOMPARE(gallery.shownCount(), 0);
        QCOMPARE(gallery.pageText(), QString());
    }

    void explainsSamplesWithoutTheirInput()
    {
        // Only the first 50 inputs are kept (a memory limit); the cell still lists all its samples.
        const engine::TestPredictions predictions = makePredictions({ { 30, 43 }, { 7, 40 } }, 50);
        const std::set<int64_t> cell = indexesOf(predictions, 0, 1);
        const auto withInput = std::count_if(cell.begin(), cell.end(), [](int64_t index) { return index < 50; });
        QVERIFY2(withInput > 0 && withInput < 43, qPrintable(QString::number(withInput)));
        PredictionGalleryWidget gallery;
        gallery.setPredictions(predictions);
        gallery.showCell(0, 1);
        QCOMPARE(gallery.selectedCount(), 43);
        QVERIFY2(gallery.caption().contains(QStringLiteral("%1 of 43 are shown with their input").arg(withInput)),
            qPrintable(gallery.caption()));
        QVERIFY2(gallery.caption().contains(QStringLiteral("the first 50 test samples only (128 MB)")),
            qPrintable(gallery.caption()));

        // When every input is kept nothing needs explaining.
        gallery.setPredictions(makePredictions({ { 30, 43 }, { 7, 40 } }));
        gallery.showCell(0, 1);
        QCOMPARE(gallery.caption(), QStringLiteral("True class 0, predicted class 1: 43 test samples."));
    }

    void aMessageDropsTheSamples()
    {
        PredictionGalleryWidget gallery;
        gallery.setPredictions(makePredictions({ { 3, 1 }, { 0, 2 } }));
        QCOMPARE(gallery.shownCount(), 6);
        gallery.clear();
        QCOMPARE(gallery.shownCount(), 0);
        QCOMPARE(gallery.selectedCount(), 0);
        gallery.showAll();
        QCOMPARE(gallery.shownCount(), 0);
    }

    void namesItsColumnsLikeItsRows_data()
    {
        QTest::addColumn<QStringList>("names");
        QTest::addColumn<int>("width");
        QTest::addColumn<bool>("rotated");
        QTest::newRow("short names stand upright") << QStringList { "cat", "dog", "owl" } << 600 << false;
        QTest::newRow("long names stand on end") << QStringList { "circle", "square", "triangle", "cross", "star",
            "ring", "hexagon", "diamond", "heart", "arrow" }
                                                 << 420 << true;
    }

    void namesItsColumnsLikeItsRows()
    {
        QFETCH(QStringList, names);
        QFETCH(int, width);
        QFETCH(bool, rotated);
        const int n = int(names.size());
        std::vector<std::vector<int64_t>> counts(size_t(n), std::vector<int64_t>(size_t(n), 1));
        ConfusionMatrixWidget matrix;
        matrix.resize(width, 420);
        matrix.setMatrix(counts, names);
        QCOMPARE(matrix.columnNamesRotated(), rotated);
        const QImage image = matrix.grab().toImage();
        const int titleBottom = matrix.fontMetrics().height() + 2;
        for (int column = 0; column < n; ++column) {
            const QRect cell = matrix.cellRect(0, column);
            // The header above each column carries its name, and says it in its tooltip.
            const QRect header(cell.left(), titleBottom, cell.width(), cell.top() - titleBottom - 2);
            QVERIFY2(inkIn(image, header) > 5, qPrintable(names[column]));
            QCOMPARE(matrix.toolTipAt(header.center()), QStringLiteral("predicted %1").arg(names[column]));
            // Each row's label names its class.
            const QRect rowCell = matrix.cellRect(column, 0);
            QCOMPARE(matrix.toolTipAt(QPoint(rowCell.left() - 10, rowCell.center().y())),
                QStringLiteral("true %1: %2 test samples").arg(names[column]).arg(n));
        }
        QCOMPARE(matrix.toolTipAt(matrix.cellRect(1, 2).center()),
            QStringLiteral("true %1, predicted %2: 1 (click to see the samples)").arg(names[1], names[2]));
    }

    void saysWhenTheGalleryDoesNotAddUpToTheMatrix()
    {
        engine::TestPredictions predictions = makePredictions({ { 4, 1 }, { 2, 3 } });
        widgets::RunRecord run;
        run.number = 3;
        run.stopReason = QStringLiteral("completed");
        run.epochsCompleted = 2;
        run.classNames = { "class 0", "class 1" };
        run.confusionMatrix = { { 4, 1 }, { 2, 3 } };
        widgets::TrainingResultsWidget results;
        auto* summary = results.findChild<QLabel*>(QStringLiteral("resultsSummary"));
        results.showRun(run);
        results.predictions()->setPredictions(predictions);
        Q_EMIT results.predictions()->loaded();
        QCOMPARE(summary->text(), QStringLiteral("Run 3 completed after 2 epochs"));
        // One sample predicted otherwise now (the test data changed): two cells differ.
        predictions.samples.front().predicted = 1 - predictions.samples.front().predicted;
        results.showRun(run);
        results.predictions()->setPredictions(predictions);
        Q_EMIT results.predictions()->loaded();
        QVERIFY2(summary->text().startsWith(QStringLiteral("Run 3 completed after 2 epochs · The gallery's predictions "
                                                           "differ from this matrix (2 cells)")),
            qPrintable(summary->text()));
    }

    void resultsClearSaysThereIsNoRunYet()
    {
        widgets::TrainingResultsWidget results;
        auto* summary = results.findChild<QLabel*>(QStringLiteral("resultsSummary"));
        QVERIFY(summary);
        QVERIFY2(summary->text().startsWith(QStringLiteral("No run yet — press Train")), qPrintable(summary->text()));
    }
};

NETDRAFT_TEST(ResultsGalleryTest);
#include "ResultsGalleryTest.moc"
