// The histogram panel (inside a run): a statistics.jsonl written from hand-made records of known
// histograms and norms is shown with the right blocks, steps, value ranges and heat-map cells, the
// gradient norms one log-scale curve per block with parameters, the dead-ReLU warning of the latest
// epoch, the canvas selection followed (also into a composite); records arriving live are drawn at a
// bounded rate; a run without statistics, an older file without histograms and a bad file say so.

#include "widgets/HistogramPanel.h"
#include "engine/train/BlockStatistics.h"
#include "tests/support/TestRegistry.h"
#include "widgets/QCustomPlotInclude.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace netdraft;
using widgets::HistogramPanel;
using widgets::StatisticsValues;

namespace {

engine::ValueHistogram histogram(double low, double high, std::vector<double> counts)
{
    return { low, high, std::move(counts) };
}

/// Six batches over two epochs of fc1 (Linear) → relu1 (ReLU) → fc2 (Linear). fc1's outputs lie in
/// [-1 - r, 2 + r] at record r, all in its histogram's first bin at record 0; relu1's zeros grow to 97.5 %
/// in epoch 2; the gradient norms fall by a decade per record.
std::vector<engine::StatisticsRecord> records()
{
    std::vector<engine::StatisticsRecord> result;
    for (int r = 0; r < 6; ++r) {
        engine::StatisticsRecord record;
        record.epoch = r / 3 + 1;
        record.batch = (r % 3) * 10 + 1;
        record.step = r * 10;
        engine::BlockStatistics fc1;
        fc1.blockId = "fc1";
        fc1.label = "Hidden (fc1)";
        fc1.type = "Linear";
        fc1.activation = { 0.5, 1.0, 0.0, 2.0 + r };
        fc1.activationHistogram
            = r == 0 ? histogram(-1, 2, { 96, 0, 0 }) : histogram(-1 - r, 2 + r, { 10, double(50 + r), 36 });
        fc1.gradient = engine::ValueSummary { 0.0, 0.1, 0.0, 0.5 };
        fc1.gradientNorm = std::pow(10.0, -r);
        fc1.gradientHistogram = histogram(-0.5, 0.5, { 1, 30, 1 });
        engine::BlockStatistics relu1;
        relu1.blockId = "relu1";
        relu1.label = "relu1";
        relu1.type = "ReLU";
        relu1.activation = { 0.1, 0.3, r < 3 ? 0.5 : 0.975, 2.0 };
        relu1.activationHistogram = histogram(0, 2 + r, { 90, 4, 2 });
        engine::BlockStatistics fc2 = fc1;
        fc2.blockId = "fc2";
        fc2.label = "fc2";
        fc2.gradientNorm = 2.0;
        fc2.activationHistogram = histogram(-3, 3, { 32, 32, 32 });
        record.blocks = { fc1, relu1, fc2 };
        result.push_back(record);
    }
    return result;
}

void writeLines(const QString& path, const std::vector<engine::StatisticsRecord>& lines)
{
    std::ofstream file(path.toStdString());
    for (const engine::StatisticsRecord& record : lines)
        file << engine::statisticsJsonLine(record) << "\n";
}

/// The heat map's cell value at (step, value).
double cellAt(const HistogramPanel& panel, double step, double value)
{
    int key = 0;
    int row = 0;
    panel.heatMap()->data()->coordToCell(step, value, &key, &row);
    return panel.heatMap()->data()->cell(key, row);
}

} // namespace

class HistogramPanelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsARunFolder()
    {
        QTemporaryDir folder;
        writeLines(folder.filePath("statistics.jsonl"), records());
        HistogramPanel panel;
        panel.resize(900, 300);
        QVERIFY(panel.loadRunFolder(folder.path()));
        QCOMPARE(panel.message(), QString());
        QCOMPARE(panel.blockIds(), (QStringList { "fc1", "relu1", "fc2" }));
        const auto* combo = panel.findChild<QComboBox*>("histogramBlock");
        QCOMPARE(combo->itemText(0), QString("Hidden (fc1) · Linear"));
        QCOMPARE(combo->itemText(1), QString("relu1 · ReLU"));

        // fc1's outputs: six steps, over the widest range any record had ([-6, 7] at record 5).
        QCOMPARE(panel.currentBlock(), QString("fc1"));
        QCOMPARE(panel.stepCount(), 6);
        QCOMPARE(panel.valueRange(), std::make_pair(-6.0, 7.0));
        QCOMPARE(panel.heatMap()->data()->keySize(), 6);
        QCOMPARE(panel.heatMap()->data()->valueSize(), HistogramPanel::kValueRows);
        QCOMPARE(panel.heatMap()->data()->keyRange().lower, 0.0);
        QCOMPARE(panel.heatMap()->data()->keyRange().upper, 50.0);
        // Step 0: every value in [-1, 0] (its first bin), none above; each column scaled to its peak.
        QCOMPARE(cellAt(panel, 0, -0.5), 1.0);
        QCOMPARE(cellAt(panel, 0, 1.5), 0.0);
        QCOMPARE(cellAt(panel, 0, -3.0), 0.0);
        // Step 50: bins of width 13/3 over [-6, 7], the middle one (55 values) the peak.
        QCOMPARE(cellAt(panel, 50, 0.5), 1.0);
        // The first bin's 10 values against 55: 0.75 on the log scale of three decades.
        QCOMPARE(cellAt(panel, 50, -5.0), 1.0 + std::log10(10.0 / 55.0) / HistogramPanel::kShadeDecades);
        QVERIFY(panel.summaryText().contains("6 recorded steps"));
        QVERIFY(panel.summaryText().contains("epochs 1–2"));
        QVERIFY(panel.summaryText().contains("values -6 … 7"));

        // Gradient norms: fc1 and fc2 (relu1 has no parameters), on a log axis over whole decades.
        QCOMPARE(panel.normCurveCount(), 2);
        QCOMPARE(panel.normPlot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(panel.normPlot()->graph(0)->name(), QString("Hidden (fc1)"));
        QCOMPARE(panel.normPlot()->graph(0)->dataCount(), 6);
        QCOMPARE(panel.normPlot()->graph(0)->data()->at(5)->value, 1e-5);
        QCOMPARE(panel.normPlot()->graph(1)->data()->at(2)->value, 2.0);
        QCOMPARE(panel.normPlot()->yAxis->range().lower, 1e-5);
        QCOMPARE(panel.normPlot()->yAxis->range().upper, 10.0);
        QVERIFY(panel.normPlot()->graph(0)->pen().widthF() > panel.normPlot()->graph(1)->pen().widthF());

        // relu1 was 97.5 % zeros in epoch 2, the latest (the warning floors it).
        QVERIFY2(panel.warningText().startsWith("⚠ block relu1: 97 % of this ReLU's outputs were zero in epoch 2"),
            qPrintable(panel.warningText()));
    }

    void switchesBlocksAndValues()
    {
        QTemporaryDir folder;
        writeLines(folder.filePath("statistics.jsonl"), records());
        HistogramPanel panel;
        QVERIFY(panel.loadRunFolder(folder.path()));
        panel.setCurrentBlock("relu1");
        QCOMPARE(panel.valueRange(), std::make_pair(0.0, 7.0));
        panel.setValues(StatisticsValues::Gradients);
        QCOMPARE(panel.stepCount(), 0);
        QCOMPARE(panel.summaryText(), QString("relu1 · ReLU has no parameters: no gradients to show"));
        panel.findChild<QComboBox*>("histogramBlock")->setCurrentIndex(2); // as the user picks fc2
        QCOMPARE(panel.currentBlock(), QString("fc2"));
        QCOMPARE(panel.stepCount(), 6);
        QCOMPARE(panel.valueRange(), std::make_pair(-0.5, 0.5));
        QCOMPARE(panel.normPlot()->graph(1)->pen().widthF(), 2.6); // fc2's curve stands out
        panel.setCurrentBlock("no-such-block");
        QCOMPARE(panel.currentBlock(), QString("fc2"));
    }

    void followsTheCanvasSelection()
    {
        std::vector<engine::StatisticsRecord> lines = records();
        for (engine::StatisticsRecord& record : lines)
            record.blocks[2].blockId = "head__fc"; // fc2 inside a composite instance "head"
        HistogramPanel panel;
        for (const engine::StatisticsRecord& record : lines)
            panel.addRecord(record);
        panel.flush();
        panel.showCanvasSelection({ "relu1" });
        QCOMPARE(panel.currentBlock(), QString("relu1"));
        panel.showCanvasSelection({ "input", "head" }); // the Input records nothing; the composite its inner block
        QCOMPARE(panel.currentBlock(), QString("head__fc"));
        panel.showCanvasSelection({ "somethingElse" });
        QCOMPARE(panel.currentBlock(), QString("head__fc"));
    }

    void liveRecordsAreDrawnAtABoundedRate()
    {
        HistogramPanel panel;
        QVERIFY(!panel.message().isEmpty()); // the hint on recording statistics
        QCOMPARE(panel.stepCount(), 0);
        const std::vector<engine::StatisticsRecord> lines = records();
        for (size_t i = 0; i < 3; ++i)
            panel.addRecord(lines[i]);
        QCOMPARE(panel.stepCount(), 0); // not drawn at once
        QTRY_COMPARE_WITH_TIMEOUT(panel.stepCount(), 3, 2000);
        QCOMPARE(panel.message(), QString());
        QCOMPARE(panel.warningText(), QString()); // 50 % zeros in epoch 1: no warning
        for (size_t i = 3; i < 6; ++i)
            panel.addRecord(lines[i]);
        QTRY_COMPARE_WITH_TIMEOUT(panel.stepCount(), 6, 2000);
        QVERIFY(panel.warningText().contains("epoch 2"));
        panel.clear();
        QCOMPARE(panel.stepCount(), 0);
        QCOMPARE(panel.blockIds(), QStringList());
        QVERIFY(panel.message().contains("Statistics every"));
    }

    void olderFilesWithoutHistogramsShowTheNorms()
    {
        std::vector<engine::StatisticsRecord> lines = records();
        for (engine::StatisticsRecord& record : lines)
            for (engine::BlockStatistics& block : record.blocks) {
                block.activationHistogram.reset();
                block.gradientHistogram.reset();
            }
        QTemporaryDir folder;
        writeLines(folder.filePath("statistics.jsonl"), lines);
        HistogramPanel panel;
        QVERIFY(panel.loadRunFolder(folder.path()));
        QCOMPARE(panel.blockIds().size(), 3);
        QCOMPARE(panel.stepCount(), 0);
        QCOMPARE(panel.summaryText(), QString("no histograms recorded for this block"));
        QCOMPARE(panel.normCurveCount(), 2);
    }

    void aRunWithoutStatisticsOrABadFileSaysSo()
    {
        QTemporaryDir folder;
        HistogramPanel panel;
        QVERIFY(!panel.loadRunFolder(folder.path()));
        QVERIFY2(panel.message().contains("recorded no per-block statistics"), qPrintable(panel.message()));
        QFile file(folder.filePath("statistics.jsonl"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(engine::statisticsJsonLine(records()[0])) + "\n{\"epoch\":2}\n");
        file.close();
        QVERIFY(!panel.loadRunFolder(folder.path()));
        QVERIFY2(panel.message().contains("statistics.jsonl, line 2: the line: \"batch\" is missing"),
            qPrintable(panel.message()));
        QCOMPARE(panel.blockIds(), QStringList());
    }
};

NETDRAFT_TEST(HistogramPanelTest);
#include "HistogramPanelTest.moc"
