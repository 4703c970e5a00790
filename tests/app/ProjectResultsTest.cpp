// Each project shows its own results (issue 16, item 6): opening another project replaces the plots,
// the results (matrix, per-class table, gallery), the progress line and the run history with that
// project's own runs, or with "No run yet". And the results add up (item 10): every sample of a
// confusion-matrix cell is in the gallery, page by page, as many as the matrix counts.

#include "app/gui/MainWindow.h"
#include "app/gui/RunHistory.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/ConfusionMatrixWidget.h"
#include "widgets/PredictionGalleryWidget.h"
#include "widgets/RunHistoryWidget.h"
#include "widgets/TrainingPlotWidget.h"
#include "widgets/TrainingProgressWidget.h"
#include "widgets/TrainingResultsWidget.h"

#include <QLabel>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QTreeWidget>

#include <set>

using namespace netdraft;
using netdraft::tests::ScriptedPrompts;

class ProjectResultsTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;
    QString trained_; ///< a.netdraft, with one finished run
    QString untrained_; ///< b.netdraft, never trained
    std::unique_ptr<app::MainWindow> window_;

    QString summary() const { return window_->results()->findChild<QLabel*>(QStringLiteral("resultsSummary"))->text(); }
    widgets::PredictionGalleryWidget* gallery() const { return window_->results()->predictions(); }

    /// Opens `path` and waits for its gallery when it has a run to predict with.
    bool open(const QString& path, bool waitForGallery)
    {
        QSignalSpy loaded(gallery(), &widgets::PredictionGalleryWidget::loaded);
        if (!window_->openProject(path))
            return false;
        return !waitForGallery || loaded.wait(60000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        tests::isolateUserFolders(folder_);
        // 300 shapes: 30 test samples, an epoch of a few seconds.
        trained_ = tests::saveProject(tests::tinyProject(300, 1, 50), folder_, QStringLiteral("a.netdraft"));
        untrained_ = tests::saveProject(tests::tinyProject(200, 1, 50), folder_, QStringLiteral("b.netdraft"));
        window_ = std::make_unique<app::MainWindow>(std::make_unique<ScriptedPrompts>());
        window_->show();
        QVERIFY(window_->openProject(trained_));
        QSignalSpy finished(window_.get(), &app::MainWindow::trainingFinished);
        QSignalSpy loaded(gallery(), &widgets::PredictionGalleryWidget::loaded);
        QVERIFY(window_->startTraining());
        QVERIFY(finished.wait(120000));
        QVERIFY(loaded.wait(60000));
        QCOMPARE(window_->runHistory().runs().size(), size_t(1));
    }

    void cleanupTestCase() { window_.reset(); }

    void anotherProjectShowsItsOwnRunsOrNothing()
    {
        QVERIFY(open(trained_, true));
        auto* history = window_->findChild<widgets::RunHistoryWidget*>();
        QVERIFY(history);
        history->setCompared(1, true);
        QCOMPARE(window_->plot()->comparisonCount(), 1);
        QVERIFY(gallery()->shownCount() > 0);

        // Opened at once, while a.netdraft's gallery is still being predicted: nothing of it may land.
        QVERIFY(window_->openProject(trained_));
        QVERIFY(window_->openProject(untrained_));
        QTest::qWait(4000); // longer than a.netdraft's predictions take
        QVERIFY2(summary().startsWith(QStringLiteral("No run yet — press Train")), qPrintable(summary()));
        QVERIFY(window_->results()->confusionMatrix()->matrix().empty());
        QCOMPARE(window_->results()->perClassTable()->rowCount(), 0);
        QCOMPARE(gallery()->shownCount(), 0);
        QCOMPARE(gallery()->selectedCount(), 0);
        QVERIFY2(gallery()->caption().startsWith(QStringLiteral("Sample predictions appear here")),
            qPrintable(gallery()->caption()));
        QCOMPARE(window_->plot()->epochPointCount(), 0);
        QCOMPARE(window_->plot()->batchPointCount(), 0);
        QCOMPARE(window_->plot()->comparisonCount(), 0);
        QCOMPARE(history->tree()->topLevelItemCount(), 0);
        QVERIFY2(window_->progress()->statusText().startsWith(QStringLiteral("No run yet")),
            qPrintable(window_->progress()->statusText()));

        // Back to a.netdraft: its run is shown again, and nothing is ticked for comparison.
        QVERIFY(open(trained_, true));
        const widgets::RunRecord& run = window_->runHistory().runs().back();
        QVERIFY2(summary().startsWith(QStringLiteral("Run 1 completed")), qPrintable(summary()));
        QVERIFY2(!summary().contains(QStringLiteral("differ")), qPrintable(summary()));
        QCOMPARE(window_->results()->confusionMatrix()->matrix(), run.confusionMatrix);
        QCOMPARE(window_->results()->perClassTable()->rowCount(), int(run.classNames.size()));
        QCOMPARE(window_->plot()->epochPointCount(), 1);
        QCOMPARE(window_->plot()->batchPointCount(), int(run.batchLoss.size()));
        QCOMPARE(window_->plot()->comparisonCount(), 0);
        QCOMPARE(history->tree()->topLevelItemCount(), 1);
        QCOMPARE(window_->progress()->statusText(), QStringLiteral("Run 1 completed after 1 of 1 epochs"));
        QVERIFY(gallery()->shownCount() > 0);

        // A new project from a template has no runs either.
        QVERIFY(window_->newFromTemplate(QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/classic_cnn.netdraft")));
        QVERIFY2(summary().startsWith(QStringLiteral("No run yet")), qPrintable(summary()));
        QVERIFY(window_->results()->confusionMatrix()->matrix().empty());
        QCOMPARE(window_->plot()->epochPointCount(), 0);
        QCOMPARE(gallery()->shownCount(), 0);
    }

    void everySampleOfACellIsListed()
    {
        QVERIFY(open(trained_, true));
        const widgets::RunRecord& run = window_->runHistory().runs().back();
        const auto& matrix = run.confusionMatrix;
        const engine::TestPredictions& predictions = gallery()->predictions();
        // The matrix comes from the trainer's test pass, the gallery from running the saved weights
        // again: two counts that must agree. Row sums are the test samples of each true class.
        int64_t total = 0;
        for (size_t row = 0; row < matrix.size(); ++row) {
            int64_t rowSum = 0;
            for (int64_t count : matrix[row])
                rowSum += count;
            const auto ofClass = std::count_if(predictions.samples.begin(), predictions.samples.end(),
                [row](const engine::PredictedSample& s) { return s.sample.label == int64_t(row); });
            QCOMPARE(int64_t(ofClass), rowSum);
            total += rowSum;
        }
        QCOMPARE(total, int64_t(30));
        QCOMPARE(predictions.testSamples, total);
        QCOMPARE(int64_t(predictions.samples.size()), total);
        gallery()->showAll();
        QVERIFY2(
            gallery()->caption().startsWith(QStringLiteral("All 30 test samples, ")), qPrintable(gallery()->caption()));
        QCOMPARE(gallery()->shownCount(), 30);

        for (int row = 0; row < int(matrix.size()); ++row)
            for (int column = 0; column < int(matrix.size()); ++column) {
                Q_EMIT window_->results()->confusionMatrix()->cellClicked(row, column);
                std::set<int64_t> listed;
                int shown = 0;
                for (int page = 0; page < gallery()->pageCount(); ++page) {
                    shown += gallery()->shownCount();
                    for (int64_t index : gallery()->shownIndexes())
                        listed.insert(index);
                    gallery()->nextPage();
                }
                QCOMPARE(int64_t(shown), matrix[size_t(row)][size_t(column)]);
                QCOMPARE(int64_t(listed.size()), matrix[size_t(row)][size_t(column)]);
            }
    }
};

NETDRAFT_TEST(ProjectResultsTest);
#include "ProjectResultsTest.moc"
