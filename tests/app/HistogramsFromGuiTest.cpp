// The histogram panel in the window (issue 20, inside a run): a short run of the classic CNN with
// statistics every 3 batches reaches the panel live from the training worker, record for record what
// the run wrote to its folder's statistics.jsonl; the panel follows the canvas selection, View ▸
// Histograms brings its dock forward, and choosing a run without statistics in the history says so.

#include "app/gui/HistogramPresenter.h"
#include "app/gui/MainWindow.h"
#include "editor/GraphScene.h"
#include "engine/train/BlockStatistics.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/HistogramPanel.h"
#include "widgets/RunHistoryWidget.h"
#include "widgets/RunRecord.h"

#include <QAction>
#include <QDockWidget>
#include <QSignalSpy>
#include <QTest>

using namespace netdraft;

class HistogramsFromGuiTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

    static QDockWidget* dockOf(QWidget* widget)
    {
        for (; widget; widget = widget->parentWidget())
            if (auto* dock = qobject_cast<QDockWidget*>(widget))
                return dock;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void aRunFillsThePanelLive()
    {
        engine::Project project = tests::tinyProject(600, 2, 50);
        project.training.statisticsEvery = 3;
        auto window = tests::shownWindow();
        window->resize(1366, 768);
        QVERIFY(window->openProject(tests::saveProject(project, folder_, QStringLiteral("cnn.netdraft"))));
        widgets::HistogramPanel* panel = window->histograms().panel();
        QVERIFY(panel->history().isEmpty());

        QSignalSpy finished(window.get(), &app::MainWindow::trainingFinished);
        int live = 0;
        connect(&window->training(), &app::TrainingController::statisticsRecorded, this, [&] { ++live; });
        window->action("trainStart")->trigger();
        QVERIFY(finished.wait(180000));
        const auto record = finished.first().first().value<widgets::RunRecord>();
        QCOMPARE(record.stopReason, QStringLiteral("completed"));

        // What the run wrote is what reached the panel while it ran.
        const std::vector<engine::StatisticsRecord> written = engine::readStatisticsFile(
            (window->runFolder(record.number) + QStringLiteral("/statistics.jsonl")).toStdString());
        QVERIFY(written.size() >= 4);
        QCOMPARE(live, int(written.size()));
        QCOMPARE(panel->history().recordCount(), int(written.size()));
        panel->flush();
        QCOMPARE(panel->blockIds(),
            (QStringList {
                "conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "conv3", "relu3", "pool3", "flatten", "fc" }));
        QCOMPARE(panel->stepCount(), int(written.size()));
        const engine::ValueHistogram& last = *written.back().blocks.front().activationHistogram;
        QVERIFY(panel->valueRange().first <= last.low && panel->valueRange().second >= last.high);
        QCOMPARE(panel->normCurveCount(), 4); // three convolutions and the Linear

        // The canvas selection picks the block; View ▸ Histograms brings the dock forward.
        window->findChild<editor::GraphScene*>()->selectBlocks({ QStringLiteral("relu2") });
        QCOMPARE(panel->currentBlock(), QStringLiteral("relu2"));
        QAction* view = window->action("viewHistograms");
        QCOMPARE(view, window->histograms().viewAction());
        window->histograms().viewAction()->trigger();
        QDockWidget* dock = dockOf(panel);
        QVERIFY(dock);
        QTRY_VERIFY(panel->isVisible());

        // NETDRAFT_SCREENSHOTS=folder keeps a picture of the window with the panel in front.
        if (const QString shots = qEnvironmentVariable("NETDRAFT_SCREENSHOTS"); !shots.isEmpty()) {
            panel->setCurrentBlock(QStringLiteral("conv2"));
            QTest::qWait(300);
            QVERIFY(window->grab().save(shots + QStringLiteral("/histograms.png")));
        }

        // Another run without statistics, chosen in the history, says it recorded none.
        project.training.statisticsEvery = 0;
        project.training.epochs = 1;
        QVERIFY(window->openProject(tests::saveProject(project, folder_, QStringLiteral("cnn.netdraft"))));
        finished.clear();
        window->action("trainStart")->trigger();
        QVERIFY(finished.wait(180000));
        const int plain = finished.first().first().value<widgets::RunRecord>().number;
        window->histograms().showRun(plain);
        QVERIFY2(panel->message().contains("recorded no per-block statistics"), qPrintable(panel->message()));
        window->histograms().showRun(record.number);
        QCOMPARE(panel->history().recordCount(), int(written.size()));
        QCOMPARE(panel->message(), QString());
    }
};

NETDRAFT_TEST(HistogramsFromGuiTest);
#include "HistogramsFromGuiTest.moc"
