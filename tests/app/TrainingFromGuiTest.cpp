// Training driven through the window's own actions: live plots, results, history, pause/resume/stop,
// editing while a run goes, and the event loop staying responsive.

#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/TrainingController.h"
#include "editor/GraphDocument.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/ConfusionMatrixWidget.h"
#include "widgets/DatasetWidget.h"
#include "widgets/LogWidget.h"
#include "widgets/PredictionGalleryWidget.h"
#include "widgets/SettingsForm.h"
#include "widgets/TrainingPlotWidget.h"
#include "widgets/TrainingResultsWidget.h"
#include "widgets/TrainingSettingsWidget.h"

#include <QAction>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

using namespace netdraft;
using netdraft::tests::ScriptedPrompts;

class TrainingFromGuiTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

    std::unique_ptr<app::MainWindow> openWindow(const engine::Project& project, ScriptedPrompts** prompts = nullptr)
    {
        auto window = tests::shownWindow(prompts);
        const QString path = tests::saveProject(project, folder_, QStringLiteral("cnn.netdraft"));
        if (!window->openProject(path))
            return nullptr;
        return window;
    }

    static void setSpinBox(widgets::SettingsForm* form, const char* field, int value)
    {
        auto* box = qobject_cast<QSpinBox*>(form->editor(field));
        QVERIFY2(box, field);
        box->setValue(value); // keyboard tracking is off: this commits like Enter would
    }

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void trainsThroughTheWindowsActions()
    {
        ScriptedPrompts* prompts = nullptr;
        auto window = openWindow(tests::tinyProject(2000, 3, 64), &prompts);
        QVERIFY(window);
        // The tiny settings go through the panels' generated editors and the undo stack.
        setSpinBox(window->datasetPanel()->form(), "samples", 200);
        setSpinBox(window->trainingPanel()->form(), "epochs", 1);
        setSpinBox(window->trainingPanel()->form(), "batch_size", 50);
        QCOMPARE(window->session().project().dataset.samples, int64_t(200));
        QCOMPARE(window->session().project().training.batchSize, int64_t(50));
        QVERIFY(window->session().isModified());

        QSignalSpy batches(&window->training(), &app::TrainingController::batchReported);
        QSignalSpy epochs(&window->training(), &app::TrainingController::epochReported);
        QSignalSpy finished(window.get(), &app::MainWindow::trainingFinished);
        tests::StallProbe probe;
        window->action("trainStart")->trigger();
        QVERIFY(!window->action("trainStart")->isEnabled());
        QVERIFY(finished.wait(120000));
        QVERIFY2(prompts->errors.isEmpty(), qPrintable(prompts->errors.join('\n')));

        // 200 samples, 10 % test and 10 % of the rest validation: 162 training samples → 4 batches of 50.
        const auto last = batches.last().first().value<engine::SessionBatch>();
        QCOMPARE(last.batchesPerEpoch, int64_t(4));
        QCOMPARE(batches.count(), 4);
        QCOMPARE(epochs.count(), 1);
        QCOMPARE(window->plot()->batchPointCount(), 4);
        QCOMPARE(window->plot()->epochPointCount(), 1);

        const auto record = finished.first().first().value<widgets::RunRecord>();
        QCOMPARE(record.stopReason, QStringLiteral("completed"));
        QCOMPARE(record.batchLoss.size(), 4);
        QVERIFY(record.testAccuracy.has_value());
        QCOMPARE(window->runHistory().runs().size(), size_t(1));
        QCOMPARE(window->runHistory().runs().front().graphHash, record.graphHash);
        QVERIFY(QFile::exists(folder_.filePath("cnn.runs.json")));

        int64_t tested = 0;
        for (const auto& row : window->results()->confusionMatrix()->matrix())
            for (int64_t count : row)
                tested += count;
        QCOMPARE(tested, int64_t(20)); // the test split
        QCOMPARE(window->results()->perClassTable()->rowCount(), 10);
        QVERIFY(window->action("trainStart")->isEnabled());

        // The run's weights on its test samples: every test sample is in the gallery, and a cell
        // shows exactly its own samples, as many as the matrix counts.
        widgets::PredictionGalleryWidget* gallery = window->results()->predictions();
        QSignalSpy predicted(gallery, &widgets::PredictionGalleryWidget::loaded);
        QVERIFY(gallery->shownCount() > 0 || predicted.wait(60000));
        QVERIFY2(gallery->caption().startsWith(QStringLiteral("All 20 test samples")), qPrintable(gallery->caption()));
        QCOMPARE(gallery->shownCount(), 20);
        const auto& matrix = window->results()->confusionMatrix()->matrix();
        Q_EMIT window->results()->confusionMatrix()->cellClicked(0, 0);
        QCOMPARE(gallery->shownCount(), int(matrix[0][0]));
        QVERIFY2(gallery->caption().startsWith(QStringLiteral("True circle, predicted circle")), qPrintable(gallery->caption()));
        qInfo("worst event-loop stall during the run: %lld ms", probe.worstMilliseconds());
        QVERIFY2(probe.worstMilliseconds() < 250, "the window froze while training");
    }

    void pausesResumesAndStops()
    {
        auto window = openWindow(tests::tinyProject(4000, 5, 16));
        QVERIFY(window);
        QSignalSpy batches(&window->training(), &app::TrainingController::batchReported);
        QSignalSpy finished(window.get(), &app::MainWindow::trainingFinished);
        window->action("trainStart")->trigger();
        QVERIFY(batches.wait(60000));

        window->action("trainPause")->trigger();
        QCOMPARE(window->training().state(), app::TrainingController::State::Paused);
        QVERIFY(window->action("trainResume")->isEnabled());
        QTest::qWait(300); // a batch in flight may still land
        const qsizetype whilePaused = batches.count();
        QTest::qWait(500);
        QCOMPARE(batches.count(), whilePaused);

        window->action("trainResume")->trigger();
        QCOMPARE(window->training().state(), app::TrainingController::State::Running);
        QTRY_VERIFY_WITH_TIMEOUT(batches.count() > whilePaused, 30000);

        window->action("trainStop")->trigger();
        QVERIFY(finished.count() == 1 || finished.wait(60000));
        const auto record = finished.first().first().value<widgets::RunRecord>();
        QCOMPARE(record.stopReason, QStringLiteral("stopped"));
        QCOMPARE(window->training().state(), app::TrainingController::State::Idle);
        QVERIFY(window->action("trainStart")->isEnabled());
    }

    void editingDuringARunDoesNotDisturbIt()
    {
        auto window = openWindow(tests::tinyProject(600, 2, 32));
        QVERIFY(window);
        const engine::Project before = window->session().project();
        QSignalSpy batches(&window->training(), &app::TrainingController::batchReported);
        QSignalSpy finished(window.get(), &app::MainWindow::trainingFinished);
        window->action("trainStart")->trigger();
        QVERIFY(batches.wait(60000));
        QVERIFY(window->designNotice().isEmpty());

        // Add a block: the design no longer matches the snapshot being trained.
        window->session().document().addBlock(QStringLiteral("ReLU"), QPointF(600, 600));
        QVERIFY(window->designNotice().contains(QStringLiteral("changed")));
        QVERIFY(finished.wait(120000));
        const auto record = finished.first().first().value<widgets::RunRecord>();
        QCOMPARE(record.stopReason, QStringLiteral("completed"));
        QCOMPARE(record.epochsCompleted, 2);
        QVERIFY(window->session().project().graph.blocks().size() == before.graph.blocks().size() + 1);
        QVERIFY(!window->designNotice().isEmpty());
    }

    void aFailingRunReportsAndLeavesTheProjectIntact()
    {
        ScriptedPrompts* prompts = nullptr;
        engine::Project project = tests::tinyProject();
        project.training.device = "cuda:7"; // no such device here
        auto window = openWindow(project, &prompts);
        QVERIFY(window);
        const engine::Project before = window->session().project();
        QSignalSpy finished(window.get(), &app::MainWindow::trainingFinished);
        window->action("trainStart")->trigger();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().value<widgets::RunRecord>().stopReason, QStringLiteral("failed"));
        QVERIFY2(prompts->errors.size() == 1, qPrintable(window->log()->text()));
        QVERIFY2(prompts->errors.first().contains(QStringLiteral("cuda"), Qt::CaseInsensitive), qPrintable(prompts->errors.first()));
        QVERIFY(window->log()->text().contains(QStringLiteral("error:")));
        QVERIFY(window->session().project() == before);
        QVERIFY(window->action("trainStart")->isEnabled());
    }
};

NETDRAFT_TEST(TrainingFromGuiTest);
#include "TrainingFromGuiTest.moc"
