// Runs trained before the first save belong to the project (issue 16, item 1): the whole story from
// an untitled project to exporting the run's weights after reopening it, the question File ▸ Export
// asks when nothing is trained, and greyed-out exports that say why.

#include "app/gui/ExportRunner.h"
#include "app/gui/MainWindow.h"
#include "app/gui/ProjectSession.h"
#include "app/gui/RunHistory.h"
#include "app/gui/TrainingController.h"
#include "editor/GraphDocument.h"
#include "editor/commands/SetSetting.h"
#include "engine/export/ExportService.h"
#include "engine/io/ProjectFormat.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/ConfusionMatrixWidget.h"
#include "widgets/PredictionGalleryWidget.h"
#include "widgets/TrainingPlotWidget.h"
#include "widgets/TrainingResultsWidget.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>
#include <QUndoStack>

using namespace netdraft;
using netdraft::tests::ScriptedPrompts;
using Kind = app::Prompts::UntrainedExportChoice::Kind;

namespace {

QByteArray bytesOf(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void setField(app::MainWindow& window, editor::SettingSection section, const char* name, engine::ParamValue value)
{
    window.session().document().push(
        new editor::commands::SetSetting(window.session().document(), section, name, std::move(value)));
}

} // namespace

class UntitledRunsTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;

    /// A new untitled project from the classic CNN template, set (undoably, like the panels do) to
    /// train one quick epoch on 200 generated shapes.
    static std::unique_ptr<app::MainWindow> untitledWindow(ScriptedPrompts** prompts)
    {
        auto window = tests::shownWindow(prompts);
        if (!window->newFromTemplate(QStringLiteral(NETDRAFT_SOURCE_DIR "/projects/classic_cnn.netdraft")))
            return nullptr;
        using Section = editor::SettingSection;
        setField(*window, Section::Dataset, "samples", int64_t(200));
        setField(*window, Section::Training, "epochs", int64_t(1));
        setField(*window, Section::Training, "batch_size", int64_t(50));
        setField(*window, Section::Training, "threads", int64_t(2));
        setField(*window, Section::Training, "device", std::string("cpu"));
        return window;
    }

    static bool train(app::MainWindow& window)
    {
        QSignalSpy finished(&window, &app::MainWindow::trainingFinished);
        return window.startTraining() && finished.wait(120000);
    }

    static bool waitForExport(app::MainWindow& window, QSignalSpy& finished)
    {
        if (finished.isEmpty() && !finished.wait(60000))
            return false;
        if (!QTest::qWaitFor([&window] { return !window.exporter().isRunning(); }, 5000))
            return false;
        return finished.last().first().toBool();
    }

    /// The engine's own state-dict export of `weights` for `project` (empty: the initial weights).
    QByteArray referenceExport(const engine::Project& project, const QString& weights, const QString& name)
    {
        engine::ExportRequest request;
        request.project = project;
        request.projectDirectory = folder_.path().toStdString();
        request.weightsPath = weights.toStdString();
        request.format = "state_dict";
        request.outputPath = folder_.filePath(name).toStdString();
        engine::exportProject(request);
        return bytesOf(folder_.filePath(name));
    }

private Q_SLOTS:
    void initTestCase() { tests::isolateUserFolders(folder_); }

    void runsTrainedBeforeTheFirstSaveStayWithTheProject()
    {
        ScriptedPrompts* prompts = nullptr;
        auto window = untitledWindow(&prompts);
        QVERIFY(window);
        QVERIFY(window->session().filePath().isEmpty());
        QVERIFY(train(*window));
        QVERIFY2(prompts->errors.isEmpty(), qPrintable(prompts->errors.join('\n')));
        const QString untitledFolder = window->runFolder(1);
        const QByteArray trainedWeights = bytesOf(window->runWeightsPath(1));
        QVERIFY2(!trainedWeights.isEmpty(), qPrintable(window->runWeightsPath(1)));

        // Save As: the run moves into story.runs/, and the project is named after its file.
        const QString path = folder_.filePath(QStringLiteral("story.netdraft"));
        prompts->savePath = path;
        window->action(QStringLiteral("fileSaveAs"))->trigger();
        QCOMPARE(window->session().filePath(), path);
        QCOMPARE(window->runFolder(1), folder_.filePath(QStringLiteral("story.runs/run-1")));
        QCOMPARE(bytesOf(folder_.filePath(QStringLiteral("story.runs/run-1/weights.pt"))), trainedWeights);
        QVERIFY(QFile::exists(folder_.filePath(QStringLiteral("story.runs/run-1/project.netdraft"))));
        QVERIFY2(!QFileInfo::exists(untitledFolder), qPrintable(untitledFolder));
        QCOMPARE(engine::loadProjectFile(path.toStdString()).name, std::string("story"));
        QVERIFY(window->close());
        QCOMPARE(prompts->saveQuestions, 0);
        window.reset();

        // Reopen: the latest run's results, curves and sample predictions are shown.
        auto* reopenedPrompts = new ScriptedPrompts;
        app::MainWindow reopened { std::unique_ptr<app::Prompts>(reopenedPrompts) };
        reopened.show();
        widgets::PredictionGalleryWidget* gallery = reopened.results()->predictions();
        QSignalSpy galleryLoaded(gallery, &widgets::PredictionGalleryWidget::loaded);
        QVERIFY(reopened.openProject(path));
        QCOMPARE(reopened.runHistory().runs().size(), size_t(1));
        const widgets::RunRecord& run = reopened.runHistory().runs().front();
        const auto* summary = reopened.results()->findChild<QLabel*>(QStringLiteral("resultsSummary"));
        QVERIFY2(summary->text().startsWith(QStringLiteral("Run 1 completed")), qPrintable(summary->text()));
        QVERIFY(run.classNames.size() > 1);
        QCOMPARE(reopened.results()->confusionMatrix()->matrix(), run.confusionMatrix);
        QCOMPARE(int(reopened.results()->confusionMatrix()->matrix().size()), int(run.classNames.size()));
        QCOMPARE(reopened.results()->perClassTable()->rowCount(), int(run.classNames.size()));
        QCOMPARE(reopened.plot()->epochPointCount(), 1);
        QCOMPARE(reopened.plot()->batchPointCount(), int(run.batchLoss.size()));
        QVERIFY(galleryLoaded.size() == 1 || galleryLoaded.wait(60000));
        QVERIFY2(gallery->shownCount() > 0, qPrintable(gallery->caption()));

        // File ▸ Export takes the run's weights without asking.
        reopenedPrompts->exportPath = folder_.filePath(QStringLiteral("story-weights.pt"));
        QSignalSpy exported(&reopened.exporter(), &app::ExportRunner::finished);
        reopened.action(app::MainWindow::exportActionName("state_dict"))->trigger();
        QVERIFY(waitForExport(reopened, exported));
        QCOMPARE(reopenedPrompts->untrainedQuestions, 0);
        QVERIFY2(reopenedPrompts->errors.isEmpty(), qPrintable(reopenedPrompts->errors.join('\n')));
        const QByteArray written = bytesOf(reopenedPrompts->exportPath);
        const engine::Project project = reopened.session().project();
        const QByteArray ofTheRun = referenceExport(
            project, folder_.filePath(QStringLiteral("story.runs/run-1/weights.pt")), QStringLiteral("ref-run.pt"));
        const QByteArray initial = referenceExport(project, QString(), QStringLiteral("ref-initial.pt"));
        QVERIFY(!written.isEmpty() && !initial.isEmpty());
        QVERIFY2(written == ofTheRun, "the export is not the run's weights");
        QVERIFY2(written != initial, "the export holds the initial weights");
    }

    void exportingWithoutTrainedWeightsAsksFirst_data()
    {
        QTest::addColumn<int>("choice");
        QTest::addColumn<bool>("written");
        QTest::addColumn<bool>("trains");
        QTest::newRow("cancel") << int(Kind::Cancel) << false << false;
        QTest::newRow("initial weights") << int(Kind::InitialWeights) << true << false;
        QTest::newRow("train first") << int(Kind::Train) << false << true;
    }
    void exportingWithoutTrainedWeightsAsksFirst()
    {
        QFETCH(int, choice);
        QFETCH(bool, written);
        QFETCH(bool, trains);
        ScriptedPrompts* prompts = nullptr;
        auto window = untitledWindow(&prompts);
        QVERIFY(window);
        prompts->untrainedChoice = { Kind(choice) };
        prompts->exportPath = folder_.filePath(QStringLiteral("ask-%1.pt").arg(choice));
        QSignalSpy exported(&window->exporter(), &app::ExportRunner::finished);
        QSignalSpy finished(window.get(), &app::MainWindow::trainingFinished);
        window->action(app::MainWindow::exportActionName("torchscript"))->trigger();
        QCOMPARE(prompts->untrainedQuestions, 1);
        QVERIFY(prompts->offeredRuns.isEmpty()); // nothing trained yet, so no run to choose
        QCOMPARE(window->exporter().isRunning(), written);
        if (written)
            QVERIFY(waitForExport(*window, exported));
        QCOMPARE(QFile::exists(prompts->exportPath), written);
        QCOMPARE(window->training().isActive(), trains);
        if (trains)
            QVERIFY(finished.wait(120000));
    }

    void exportingAnotherDesignsRunUsesTheDesignItTrained()
    {
        ScriptedPrompts* prompts = nullptr;
        auto window = untitledWindow(&prompts);
        QVERIFY(window);
        QVERIFY(train(*window));
        const engine::Project trained = window->session().project();
        // A new block changes the design: run 1's weights no longer fit it.
        window->session().document().addBlock(QStringLiteral("ReLU"), QPointF(400, 300));
        prompts->untrainedChoice = { Kind::UseRun, 0 };
        prompts->exportPath = folder_.filePath(QStringLiteral("other-design.pt"));
        QSignalSpy exported(&window->exporter(), &app::ExportRunner::finished);
        window->action(app::MainWindow::exportActionName("state_dict"))->trigger();
        QCOMPARE(prompts->untrainedQuestions, 1);
        QCOMPARE(prompts->offeredRuns.size(), 1);
        QVERIFY2(prompts->offeredRuns.first().startsWith(QStringLiteral("Run 1 ")),
            qPrintable(prompts->offeredRuns.first()));
        QVERIFY(waitForExport(*window, exported));
        QCOMPARE(bytesOf(prompts->exportPath),
            referenceExport(trained, window->runWeightsPath(1), QStringLiteral("ref-other-design.pt")));
    }

    void greyedOutExportsSayWhy()
    {
        ScriptedPrompts* prompts = nullptr;
        auto window = untitledWindow(&prompts);
        QVERIFY(window);
        QVERIFY(train(*window));
        std::unique_ptr<QMenu> menu = window->runMenu(1);
        QVERIFY(!menu->actions().isEmpty());
        for (QAction* entry : menu->actions())
            QVERIFY2(entry->isEnabled(), qPrintable(entry->text()));

        QVERIFY(QFile::remove(window->runWeightsPath(1)));
        menu = window->runMenu(1);
        for (QAction* entry : menu->actions()) {
            QVERIFY(!entry->isEnabled());
            QVERIFY2(entry->toolTip().contains(QStringLiteral("Run 1 kept no weights")), qPrintable(entry->toolTip()));
            QVERIFY2(entry->toolTip().contains(QStringLiteral("weights.pt is missing")), qPrintable(entry->toolTip()));
        }

        // While a run goes, Start is greyed out and says why.
        QSignalSpy finished(window.get(), &app::MainWindow::trainingFinished);
        QVERIFY(window->startTraining());
        QAction* start = window->action(QStringLiteral("trainStart"));
        QVERIFY(!start->isEnabled());
        QVERIFY2(start->toolTip().contains(QStringLiteral("A run is going")), qPrintable(start->toolTip()));
        QVERIFY(finished.wait(120000));
        QVERIFY(start->isEnabled());
        QCOMPARE(start->toolTip(), QStringLiteral("Start Training"));
    }

    void closingAnUntitledProjectWithRunsAsks_data()
    {
        QTest::addColumn<int>("choice");
        QTest::addColumn<bool>("closes");
        QTest::addColumn<bool>("runKept");
        QTest::newRow("cancel") << int(app::Prompts::SaveChoice::Cancel) << false << true;
        QTest::newRow("discard") << int(app::Prompts::SaveChoice::Discard) << true << false;
        QTest::newRow("save") << int(app::Prompts::SaveChoice::Save) << true << true;
    }
    void closingAnUntitledProjectWithRunsAsks()
    {
        QFETCH(int, choice);
        QFETCH(bool, closes);
        QFETCH(bool, runKept);
        ScriptedPrompts* prompts = nullptr;
        auto window = untitledWindow(&prompts);
        QVERIFY(window);
        QVERIFY(train(*window));
        window->session().document().undoStack()->setClean(); // only the run is unsaved now
        QVERIFY(!window->session().isModified());
        const QString untitledWeights = window->runWeightsPath(1);
        const QString path = folder_.filePath(QStringLiteral("closing-%1.netdraft").arg(choice));
        prompts->saveChoice = app::Prompts::SaveChoice(choice);
        prompts->savePath = path;
        QCOMPARE(window->close(), closes);
        QCOMPARE(prompts->saveQuestions, 1);
        const bool saved = choice == int(app::Prompts::SaveChoice::Save);
        QCOMPARE(QFile::exists(saved ? app::RunHistory::runsFolderFor(path) + "/run-1/weights.pt" : untitledWeights),
            runKept);
    }
};

NETDRAFT_TEST(UntitledRunsTest);
#include "UntitledRunsTest.moc"
