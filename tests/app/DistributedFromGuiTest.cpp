// Training on several processes from the window ("Processes" in the training settings): rank 0 trains
// in the app and feeds the usual panels, rank 1 is a netdraft-cli process; the result equals one
// process's run, and a rank that fails is named.

#include "app/gui/MainWindow.h"
#include "app/gui/TrainingController.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/LogWidget.h"
#include "widgets/RunRecord.h"
#include "widgets/TrainingResultsWidget.h"
#include "widgets/TrainingSettingsWidget.h"

#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

using namespace netdraft;
using netdraft::tests::ScriptedPrompts;

class DistributedFromGuiTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

    std::unique_ptr<app::MainWindow> openWindow(const QString& name, ScriptedPrompts** prompts)
    {
        auto window = tests::shownWindow(prompts);
        // The classic CNN (no batch norm, no dropout) on 200 shapes: 162 training samples, batches of
        // 50 split 25/25 and the last one of 12 split 6/6.
        const QString path = tests::saveProject(tests::tinyProject(200, 2, 50), folder_, name);
        if (!window->openProject(path))
            return nullptr;
        return window;
    }

    struct Run {
        widgets::RunRecord record;
        std::vector<engine::SessionEpoch> epochs;
    };

    static Run train(app::MainWindow& window)
    {
        QSignalSpy epochs(&window.training(), &app::TrainingController::epochReported);
        QSignalSpy finished(&window, &app::MainWindow::trainingFinished);
        window.action("trainStart")->trigger();
        Run run;
        if (!finished.wait(180000))
            return run;
        run.record = finished.first().first().value<widgets::RunRecord>();
        for (const QList<QVariant>& epoch : epochs)
            run.epochs.push_back(epoch.first().value<engine::SessionEpoch>());
        return run;
    }

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void twoProcessesTrainLikeOne()
    {
        ScriptedPrompts* prompts = nullptr;
        auto window = openWindow(QStringLiteral("two.netdraft"), &prompts);
        QVERIFY(window);
        widgets::TrainingSettingsWidget* panel = window->trainingPanel();
        QCOMPARE(panel->processes(), 1);

        const Run single = train(*window);
        QCOMPARE(single.record.stopReason, QStringLiteral("completed"));
        QVERIFY(!window->log()->text().contains(QLatin1String("distributed:")));

        panel->processesField()->setValue(2);
        QCOMPARE(panel->processes(), 2);
        QVERIFY(!window->session().isModified()); // how this machine runs it, not a project setting
        const Run two = train(*window);
        QVERIFY2(prompts->errors.isEmpty(), qPrintable(prompts->errors.join('\n')));
        QCOMPARE(two.record.stopReason, QStringLiteral("completed"));
        const QString log = window->log()->text();
        QVERIFY2(log.contains(QLatin1String("distributed: rank 0 of 2, gloo")), qPrintable(log));
        QVERIFY2(log.contains(QLatin1String("Training on 2 processes")), qPrintable(log));

        // Rank 0's epochs reached the panels, with the figures of the whole global batch: the same
        // maths as one process, so the same losses (K = 8 steps; threads differ, so within rounding).
        QCOMPARE(two.epochs.size(), size_t(2));
        QCOMPARE(single.epochs.size(), size_t(2));
        for (size_t i = 0; i < 2; ++i) {
            QVERIFY(single.epochs[i].validationLoss && two.epochs[i].validationLoss);
            QVERIFY2(std::abs(two.epochs[i].trainLoss - single.epochs[i].trainLoss) < 1e-5,
                qPrintable(QStringLiteral("epoch %1: %2 vs %3")
                               .arg(i + 1)
                               .arg(two.epochs[i].trainLoss, 0, 'g', 10)
                               .arg(single.epochs[i].trainLoss, 0, 'g', 10)));
            QVERIFY(std::abs(*two.epochs[i].validationLoss - *single.epochs[i].validationLoss) < 1e-5);
        }
        qInfo("epoch losses, 1 process vs 2: %.9g vs %.9g, %.9g vs %.9g", single.epochs[0].trainLoss,
            two.epochs[0].trainLoss, single.epochs[1].trainLoss, two.epochs[1].trainLoss);
        // Training moved the loss, so agreeing is not agreeing by default.
        QVERIFY(std::abs(single.epochs[1].trainLoss - single.epochs[0].trainLoss) > 1e-3);
        // The final results come from rank 0's test evaluation, as in one process.
        QVERIFY(two.record.testLoss && single.record.testLoss);
        QVERIFY(std::abs(*two.record.testLoss - *single.record.testLoss) < 1e-5);
        QCOMPARE(two.record.confusionMatrix, single.record.confusionMatrix);
        QVERIFY(!two.record.classNames.isEmpty());
        QCOMPARE(window->results()->perClassTable()->rowCount(), int(two.record.classNames.size()));
    }

    void aFailingRankIsNamed()
    {
        ScriptedPrompts* prompts = nullptr;
        auto window = openWindow(QStringLiteral("failing.netdraft"), &prompts);
        QVERIFY(window);
        // A worker that fails as netdraft-cli does when it cannot read its data.
        const QString script = folder_.filePath(QStringLiteral("failing-worker.sh"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/bin/sh\necho \"error: cannot read /nowhere/data.csv\" >&2\nexit 3\n");
        file.close();
        file.setPermissions(file.permissions() | QFileDevice::ExeOwner);
        window->training().setWorkerProgram(script);
        window->training().setRankTimeout(4);
        window->trainingPanel()->processesField()->setValue(2);

        QSignalSpy errors(&window->training(), &app::TrainingController::errorOccurred);
        QElapsedTimer clock;
        clock.start();
        const Run run = train(*window);
        QCOMPARE(run.record.stopReason, QStringLiteral("failed"));
        QVERIFY2(clock.elapsed() < 4000 + 20000, qPrintable(QString::number(clock.elapsed())));
        const QString named = QStringLiteral("rank 1 exited with status 3: error: cannot read /nowhere/data.csv");
        QVERIFY2(run.record.message.contains(named), qPrintable(run.record.message));
        QVERIFY2(window->log()->text().contains(named), qPrintable(window->log()->text()));
        QVERIFY(!errors.isEmpty());
        QVERIFY(run.epochs.empty());
    }

    void gpusOnlyWhenSeveralAreVisible()
    {
        widgets::TrainingSettingsWidget panel;
        panel.setDevices({ { "cpu", QStringLiteral("CPU") }, { "cuda:0", QStringLiteral("CUDA GPU 0") } });
        QVERIFY(!panel.gpusField()->isVisibleTo(&panel));
        QCOMPARE(panel.gpus(), 1);
        panel.setDevices({ { "cpu", QStringLiteral("CPU") }, { "cuda:0", QStringLiteral("CUDA GPU 0") },
            { "cuda:1", QStringLiteral("CUDA GPU 1") }, { "cuda:0,cuda:1", QStringLiteral("CUDA GPUs 0 and 1") } });
        QVERIFY(panel.gpusField()->isVisibleTo(&panel));
        QCOMPARE(panel.gpusField()->maximum(), 2);
        panel.gpusField()->setValue(2);
        QCOMPARE(panel.gpus(), 2);
        panel.setDevices({ { "cpu", QStringLiteral("CPU") } });
        QVERIFY(!panel.gpusField()->isVisibleTo(&panel));
        QCOMPARE(panel.gpus(), 1);
    }
};

NETDRAFT_TEST(DistributedFromGuiTest);
#include "DistributedFromGuiTest.moc"
