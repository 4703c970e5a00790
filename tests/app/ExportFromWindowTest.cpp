// File ▸ Export and the run history's export: the exports run on a worker while the window stays
// usable, use the latest run's weights of this design (or the initial ones), and report failures.

#include "app/gui/ExportRunner.h"
#include "app/gui/MainWindow.h"
#include "engine/export/ExportService.h"
#include "engine/io/ProjectFormat.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/LogWidget.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

using namespace netdraft;
using netdraft::tests::ScriptedPrompts;

namespace {

QByteArray fileBytes(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class ExportFromWindowTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;
    ScriptedPrompts* prompts_ = nullptr;

    /// The MLP example on 200 spiral points, one epoch.
    std::unique_ptr<app::MainWindow> openMlp(const QString& name)
    {
        engine::Project project = engine::loadProjectFile(NETDRAFT_SOURCE_DIR "/projects/mlp_spirals.netdraft");
        project.dataset.samples = 200;
        project.training.epochs = 1;
        project.training.threads = 2;
        auto window = tests::shownWindow(&prompts_);
        if (!window->openProject(tests::saveProject(project, folder_, name)))
            return nullptr;
        return window;
    }

    /// Waits for the running export and returns finished()'s `ok` (false also when it never ends).
    static bool waitForExport(app::MainWindow& window, QSignalSpy& finished)
    {
        if (finished.isEmpty() && !finished.wait(60000))
            return false;
        QTest::qWaitFor([&window] { return !window.exporter().isRunning(); }, 5000);
        return !window.exporter().isRunning() && finished.last().first().toBool();
    }

    static QString logText(app::MainWindow& window) { return window.log()->toPlainText(); }

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void menuExportsInitialWeightsBeforeAnyRun()
    {
        auto window = openMlp(QStringLiteral("first.netdraft"));
        QVERIFY(window);
        QAction* exportTorchScript = window->action(QStringLiteral("export_torchscript"));
        QVERIFY(exportTorchScript && exportTorchScript->isEnabled());
        prompts_->exportPath = folder_.filePath(QStringLiteral("first.pt"));
        // No run has weights: the window asks first, and the answer is "the initial weights, on purpose".
        prompts_->untrainedChoice = { app::Prompts::UntrainedExportChoice::Kind::InitialWeights };
        QSignalSpy finished(&window->exporter(), &app::ExportRunner::finished);
        exportTorchScript->trigger();
        QCOMPARE(prompts_->untrainedQuestions, 1);
        // The export runs on its worker: the actions wait for it, the window does not.
        QVERIFY(window->exporter().isRunning());
        QVERIFY(!window->action(QStringLiteral("export_state_dict"))->isEnabled());
        QVERIFY(waitForExport(*window, finished));
        QVERIFY(window->action(QStringLiteral("export_state_dict"))->isEnabled());
        QCOMPARE(prompts_->exportQuestions, QStringList { folder_.filePath(QStringLiteral("first.pt")) });
        QVERIFY2(prompts_->errors.isEmpty(), qPrintable(prompts_->errors.join('\n')));
        QCOMPARE(prompts_->information.size(), 1);
        QVERIFY2(
            prompts_->information.first().contains(prompts_->exportPath), qPrintable(prompts_->information.first()));
        QVERIFY(fileBytes(prompts_->exportPath).startsWith("PK")); // a zip archive
        QCOMPARE(prompts_->untrainedSource, QStringLiteral("Exports the seeded initial weights (untrained)"));
        QVERIFY2(logText(*window).contains(QStringLiteral("Exports the seeded initial weights (untrained)")),
            qPrintable(logText(*window)));
    }

    void exportsTheWeightsOfTheLatestRun()
    {
        auto window = openMlp(QStringLiteral("trained.netdraft"));
        QVERIFY(window);
        const QString initialPath = folder_.filePath(QStringLiteral("initial-weights.pt"));
        QSignalSpy finished(&window->exporter(), &app::ExportRunner::finished);
        QVERIFY(window->exportNetwork("state_dict", initialPath));
        QVERIFY(waitForExport(*window, finished));

        QSignalSpy trained(window.get(), &app::MainWindow::trainingFinished);
        QVERIFY(window->startTraining());
        QVERIFY(trained.wait(120000));
        QVERIFY(QFile::exists(window->runWeightsPath(1)));

        finished.clear();
        const QString trainedPath = folder_.filePath(QStringLiteral("trained-weights.pt"));
        QVERIFY(window->exportNetwork("state_dict", trainedPath));
        QVERIFY(waitForExport(*window, finished));
        QVERIFY2(logText(*window).contains(QStringLiteral("weights of run 1")), qPrintable(logText(*window)));
        const QByteArray initial = fileBytes(initialPath), trainedBytes = fileBytes(trainedPath);
        QVERIFY(!initial.isEmpty() && !trainedBytes.isEmpty());
        QVERIFY2(initial != trainedBytes, "the export did not take the run's weights");

        // The run history's "PyTorch code of run 1": a folder with the model, its weights and train.py.
        finished.clear();
        const QString pythonFolder = folder_.filePath(QStringLiteral("run1-python"));
        QVERIFY(window->exportNetwork("python", pythonFolder, 1));
        QVERIFY(waitForExport(*window, finished));
        for (const char* name : { "model.py", "weights.pt", "netdraft.json", "train.py", "data.pt" })
            QVERIFY2(QFile::exists(pythonFolder + "/" + name), name);
    }

    void reportsAFailedExport()
    {
        auto window = openMlp(QStringLiteral("failing.netdraft"));
        QVERIFY(window);
        QSignalSpy finished(&window->exporter(), &app::ExportRunner::finished);
        // A run number whose weights do not exist.
        QVERIFY(
            window->exportNetwork("torchscript", folder_.filePath(QStringLiteral("never.pt")), 7));
        QVERIFY(!waitForExport(*window, finished));
        QCOMPARE(prompts_->errors.size(), 1);
        QVERIFY2(prompts_->errors.first().startsWith(QStringLiteral("Export failed: ")),
            qPrintable(prompts_->errors.first()));
        QVERIFY2(prompts_->errors.first().contains(QStringLiteral("run-7/weights.pt")),
            qPrintable(prompts_->errors.first()));
        QVERIFY(!QFile::exists(folder_.filePath(QStringLiteral("never.pt"))));
        QVERIFY(prompts_->information.isEmpty());
    }
};

NETDRAFT_TEST(ExportFromWindowTest);
#include "ExportFromWindowTest.moc"
