// The live plot: one point per report, redraws bounded in rate, CSV, PNG and PDF export, other runs overlaid.

#include "tests/support/TestRegistry.h"
#include "widgets/RunHistoryWidget.h"
#include "widgets/TrainingPlotWidget.h"

#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using netdraft::widgets::RunHistoryWidget;
using netdraft::widgets::RunRecord;
using netdraft::widgets::TrainingPlotWidget;

class TrainingPlotTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void buffersPointsAndRedrawsAtABoundedRate()
    {
        TrainingPlotWidget plot;
        plot.resize(800, 500);
        plot.show();
        const int before = plot.replotCount();
        // A fast run: 2000 batches within half a second must not cause 2000 redraws.
        QElapsedTimer clock;
        clock.start();
        for (int i = 0; i < 2000; ++i) {
            plot.addBatch(i / 1000.0, 2.0 / (1 + i), 0.5, 0.01);
            if (i % 100 == 0)
                QTest::qWait(25);
        }
        plot.addEpoch(1, 1.0, 1.1, 0.6, 0.55);
        plot.addEpoch(2, 0.8, 0.9, 0.7, 0.65);
        QTest::qWait(250);
        const double seconds = clock.elapsed() / 1000.0;
        QCOMPARE(plot.batchPointCount(), 2000);
        QCOMPARE(plot.epochPointCount(), 2);
        const int redraws = plot.replotCount() - before;
        QVERIFY(redraws >= 1);
        QVERIFY2(redraws <= seconds * TrainingPlotWidget::kMaxRedrawsPerSecond + 2,
            qPrintable(QStringLiteral("%1 redraws in %2 s").arg(redraws).arg(seconds)));
    }

    void exportsCsvAndPng()
    {
        TrainingPlotWidget plot;
        plot.resize(800, 500);
        plot.addBatch(0.5, 2.0, 0.25, 0.1);
        plot.addBatch(1.0, 1.0, std::nullopt, 0.1);
        plot.addEpoch(1, 1.5, std::nullopt, 0.3, std::nullopt);
        QTemporaryDir folder;
        const QString csv = folder.filePath("curves.csv");
        QVERIFY(plot.exportCsv(csv));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QVERIFY(lines[0].startsWith("series,epoch,loss"));
        QCOMPARE(lines[1], QStringLiteral("batch,0.5,2,2,0.25,0.1,,"));
        // The smoothed value is the bias-corrected moving average: (0.9*0.1*2 + 0.1*1) / (1 - 0.81).
        QVERIFY(lines[2].startsWith(QStringLiteral("batch,1,1,%1,,").arg((0.09 * 2 + 0.1 * 1) / 0.19)));
        QCOMPARE(lines[3], QStringLiteral("epoch,1,1.5,,0.3,,,"));

        const QString png = folder.filePath("plot.png");
        QVERIFY(plot.exportPng(png));
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800);

        const QString pdf = folder.filePath("plot.pdf");
        QVERIFY(plot.exportPdf(pdf));
        QFile document(pdf);
        QVERIFY(document.open(QIODevice::ReadOnly));
        const QByteArray bytes = document.readAll();
        QVERIFY(bytes.startsWith("%PDF-"));
        QVERIFY(bytes.size() > 2000);
        QVERIFY(!plot.exportPdf(folder.filePath("missing-folder/plot.pdf")));
    }

    void clearForgetsEverything()
    {
        TrainingPlotWidget plot;
        plot.addBatch(0.1, 1, 0.5, 0.1);
        plot.addEpoch(1, 1, 1, 0.5, 0.5);
        plot.flush();
        plot.clear();
        QCOMPARE(plot.batchPointCount(), 0);
        QCOMPARE(plot.epochPointCount(), 0);
    }

    void tickedRunsAreOverlaid()
    {
        std::vector<RunRecord> runs(3);
        for (int i = 0; i < 3; ++i) {
            runs[size_t(i)].number = i + 1;
            runs[size_t(i)].validationLoss = { { 1, 2.0 - i }, { 2, 1.5 - i * 0.5 } };
            runs[size_t(i)].validationAccuracy = { { 1, 0.3 + i * 0.1 }, { 2, 0.5 + i * 0.1 } };
        }
        RunHistoryWidget history;
        history.setRuns(runs, QString());
        TrainingPlotWidget plot;
        QSignalSpy changed(&history, &RunHistoryWidget::comparisonChanged);
        connect(&history, &RunHistoryWidget::comparisonChanged, &plot, [&](const QList<int>& numbers) {
            plot.clearComparisons();
            for (int number : numbers) {
                const RunRecord& run = runs[size_t(number - 1)];
                plot.addComparison(QStringLiteral("run %1").arg(number), run.validationLoss, run.validationAccuracy);
            }
        });
        history.setCompared(1, true);
        history.setCompared(3, true);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(history.comparedRuns(), (QList<int> { 1, 3 }));
        QCOMPARE(plot.comparisonCount(), 2);
        plot.clear(); // a new run starts: the comparisons stay
        QCOMPARE(plot.comparisonCount(), 2);
        history.setRuns(runs, QString()); // the history is refreshed: the ticks stay
        QCOMPARE(history.comparedRuns(), (QList<int> { 1, 3 }));
        if (const QString folder = qEnvironmentVariable("NETDRAFT_SCREENSHOTS"); !folder.isEmpty()) {
            plot.addEpoch(1, 2.2, 2.1, 0.2, 0.25);
            plot.addEpoch(2, 1.4, 1.2, 0.55, 0.6);
            plot.flush();
            plot.resize(1200, 500);
            plot.show();
            QTest::qWait(100);
            QVERIFY(plot.grab().save(folder + QStringLiteral("/plot-comparison.png")));
        }
        history.setCompared(1, false);
        QCOMPARE(plot.comparisonCount(), 1);
    }
};

NETDRAFT_TEST(TrainingPlotTest);
#include "TrainingPlotTest.moc"
