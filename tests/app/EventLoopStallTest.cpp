// How long the window's event loop is blocked while a run trains: a 5 ms timer measures the gaps
// during a run of the classic CNN that lasts several seconds (many batches, epochs and plot redraws).

#include "app/gui/MainWindow.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/RunRecord.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace netdraft;

class EventLoopStallTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void eventLoopKeepsRunningWhileTraining()
    {
        auto scripted = std::make_unique<tests::ScriptedPrompts>();
        tests::ScriptedPrompts* prompts = scripted.get();
        app::MainWindow window(std::move(scripted));
        window.show();
        QVERIFY(window.openProject(
            tests::saveProject(tests::tinyProject(1000, 3, 25), folder_, QStringLiteral("stall.netdraft"))));
        QSignalSpy finished(&window, &app::MainWindow::trainingFinished);
        QElapsedTimer clock;
        clock.start();
        tests::StallProbe probe;
        QVERIFY(window.startTraining());
        QVERIFY(finished.wait(300000));
        QVERIFY2(prompts->errors.isEmpty(), qPrintable(prompts->errors.join('\n')));
        QCOMPARE(finished.first().first().value<widgets::RunRecord>().stopReason, QStringLiteral("completed"));
        // The figure goes into the test log; the target is 50 ms. The bound asserted here is
        // generous because this machine's cores are shared with builds and other tests.
        qInfo("run of %lld ms: worst event-loop stall %lld ms; %d of %d timer ticks more than 50 ms late, %d more "
              "than 20 ms",
            clock.elapsed(), probe.worstMilliseconds(), probe.stallsOver(50), probe.ticks(), probe.stallsOver(20));
        QVERIFY(probe.ticks() > 100);
        QVERIFY2(probe.worstMilliseconds() < 250, "the window froze while training");
    }
};

NETDRAFT_TEST(EventLoopStallTest);
#include "EventLoopStallTest.moc"
