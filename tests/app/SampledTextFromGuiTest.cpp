// A language model trained from the window: when the run ends the Log shows its sampled text, the
// same lines the engine's training session (and so netdraft-cli train) writes for the same project.

#include "app/gui/MainWindow.h"
#include "engine/io/ProjectFormat.h"
#include "engine/train/TrainingSession.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/LogWidget.h"
#include "widgets/RunRecord.h"

#include <QAction>
#include <QDockWidget>
#include <QSignalSpy>
#include <QTest>

using namespace netdraft;

class SampledTextFromGuiTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

    /// The GPT example cut to one short epoch.
    static engine::Project shortGpt()
    {
        engine::Project project = engine::loadProjectFile(NETDRAFT_SOURCE_DIR "/projects/gpt_char_grammar.netdraft");
        project.dataset.samples = 300;
        project.training.epochs = 1;
        return project;
    }

    /// The sampled-text lines of a log: the heading and the lines after it.
    static QStringList sampledLines(const QStringList& log)
    {
        QStringList lines;
        for (const QString& line : log) {
            const int heading = line.indexOf(QStringLiteral("Sampled text ("));
            const int sample = line.indexOf(QStringLiteral("sample "));
            if (heading >= 0)
                lines << line.mid(heading);
            else if (!lines.isEmpty() && sample >= 0)
                lines << line.mid(sample);
        }
        return lines;
    }

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void logShowsTheSampledTextAfterTheRun()
    {
        const engine::Project project = shortGpt();
        // The reference: the engine's session on the same project, as netdraft-cli train runs it.
        QStringList expected;
        {
            engine::TrainingSession session(project, NETDRAFT_SOURCE_DIR "/projects", "");
            engine::SessionCallbacks callbacks;
            callbacks.onLog = [&](const std::string& line) { expected << QString::fromStdString(line); };
            session.setCallbacks(callbacks);
            session.start();
        }
        expected = sampledLines(expected);
        QCOMPARE(expected.size(), 4); // the heading and 3 samples
        QCOMPARE(
            expected.front(), QStringLiteral("Sampled text (greedy, 40 characters after prompts from the test part):"));

        auto window = std::make_unique<app::MainWindow>(std::make_unique<tests::ScriptedPrompts>());
        window->show();
        QVERIFY(window->openProject(tests::saveProject(project, folder_, QStringLiteral("gpt.netdraft"))));
        QSignalSpy finished(window.get(), &app::MainWindow::trainingFinished);
        window->action("trainStart")->trigger();
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().first().value<widgets::RunRecord>().stopReason, QStringLiteral("completed"));
        QTRY_COMPARE_WITH_TIMEOUT(sampledLines(window->log()->text().split('\n')).size(), 4, 10000);
        QCOMPARE(sampledLines(window->log()->text().split('\n')), expected);
        // NETDRAFT_SCREENSHOTS=folder keeps a picture of the window with the Log in front.
        if (const QString shots = qEnvironmentVariable("NETDRAFT_SCREENSHOTS"); !shots.isEmpty()) {
            for (QWidget* dock = window->log(); dock; dock = dock->parentWidget())
                if (auto* asDock = qobject_cast<QDockWidget*>(dock)) {
                    asDock->raise();
                    break;
                }
            QTest::qWait(200);
            QVERIFY(window->grab().save(shots + QStringLiteral("/sampled-text-log.png")));
        }
    }
};

NETDRAFT_TEST(SampledTextFromGuiTest);
#include "SampledTextFromGuiTest.moc"
