// Closing the window during a run stops the worker and joins its thread: no "QThread: Destroyed while
// thread is still running", no report arriving at a deleted window.

#include "app/gui/MainWindow.h"
#include "app/gui/TrainingController.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QAction>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace netdraft;

namespace {
QStringList capturedWarnings;
QtMessageHandler previousHandler = nullptr;

void captureWarnings(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    if (type != QtDebugMsg && type != QtInfoMsg)
        capturedWarnings << message;
    previousHandler(type, context, message);
}
} // namespace

class CloseWhileTrainingTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

private Q_SLOTS:
    void initTestCase()
    {
        tests::isolateUserFolders(folder_);
        previousHandler = qInstallMessageHandler(captureWarnings);
    }
    void cleanupTestCase() { qInstallMessageHandler(previousHandler); }

    void closingStopsTheRunCleanly()
    {
        const QString path
            = tests::saveProject(tests::tinyProject(6000, 20, 16), folder_, QStringLiteral("long.netdraft"));
        auto window = std::make_unique<app::MainWindow>(std::make_unique<tests::ScriptedPrompts>());
        window->show();
        QVERIFY(window->openProject(path));
        QSignalSpy batches(&window->training(), &app::TrainingController::batchReported);
        window->action("trainStart")->trigger();
        QVERIFY(batches.wait(60000));
        QVERIFY(window->training().isActive());

        capturedWarnings.clear();
        QElapsedTimer clock;
        clock.start();
        QVERIFY(window->close());
        QVERIFY(!window->training().isActive());
        window.reset();
        QTest::qWait(100); // let any stray queued report arrive
        qInfo("closing during training took %lld ms", clock.elapsed());
        QVERIFY2(clock.elapsed() < 20000, "the run did not stop promptly");
        QVERIFY2(capturedWarnings.filter(QStringLiteral("QThread")).isEmpty(), qPrintable(capturedWarnings.join('\n')));
    }

    void destroyingTheWindowWithoutClosingAlsoJoins()
    {
        const QString path
            = tests::saveProject(tests::tinyProject(6000, 20, 16), folder_, QStringLiteral("long2.netdraft"));
        auto window = std::make_unique<app::MainWindow>(std::make_unique<tests::ScriptedPrompts>());
        QVERIFY(window->openProject(path));
        QSignalSpy batches(&window->training(), &app::TrainingController::batchReported);
        QVERIFY(window->startTraining());
        QVERIFY(batches.wait(60000));
        capturedWarnings.clear();
        window.reset();
        QVERIFY2(capturedWarnings.filter(QStringLiteral("QThread")).isEmpty(), qPrintable(capturedWarnings.join('\n')));
    }
};

NETDRAFT_TEST(CloseWhileTrainingTest);
#include "CloseWhileTrainingTest.moc"
