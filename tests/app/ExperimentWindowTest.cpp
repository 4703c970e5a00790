// Train ▸ Experiment… (issue 21, the GUI): a real 2×2 grid on the spirals MLP (400 samples, one epoch)
// run through the experiment window as netdraft-cli processes, its table checked against hand-computed
// parameter and multiply-accumulate counts and the metrics.jsonl files read with Qt's own JSON parser;
// sorting, the plots, the Pareto front against a brute-force dominance check, CSV export read back,
// a sweep folder opened; pause, extend and cancel of the queue; trials landing in the main window's
// run history; quitting while trials run asks first, and Cancel keeps them running. Set NETDRAFT_SCREENSHOTS to a
// folder to save the window's three tabs there.

#include "app/gui/ExperimentWindow.h"
#include "app/gui/MainWindow.h"
#include "editor/GraphDocument.h"
#include "engine/experiment/TrialResult.h"
#include "engine/io/ProjectFormat.h"
#include "tests/app/AppTestSupport.h"
#include "tests/support/TestRegistry.h"
#include "widgets/experiment/ExperimentPlanEditor.h"
#include "widgets/experiment/ExperimentResultsModel.h"
#include "widgets/experiment/ParallelCoordinatesPlot.h"
#include "widgets/experiment/ParetoPlot.h"

#include <QAction>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace netdraft;

// Named, not anonymous: the app tests build as one unity file.
namespace experiment_window_test {

using Figure = widgets::ExperimentResultsModel::Figure;

constexpr int kSweepTimeoutMs = 60000;

/// The spirals MLP made small: 400 samples, one epoch, one thread per trial.
engine::Project smallSpirals()
{
    engine::Project project = engine::loadProjectFile(NETDRAFT_SOURCE_DIR "/projects/mlp_spirals.netdraft");
    project.dataset.samples = 400;
    project.training.epochs = 1;
    project.training.threads = 1;
    project.training.device = "cpu";
    return project;
}

/// The "result" line of a trial's metrics.jsonl, read with Qt's JSON parser (not the engine's).
QJsonObject resultLine(const QString& trialFolder)
{
    QFile file(trialFolder + "/metrics.jsonl");
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QJsonObject result;
    while (!file.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(file.readLine()).object();
        if (line["type"].toString() == QLatin1String("result"))
            result = line;
    }
    return result;
}

/// Whether a trial's metrics.jsonl has a "batch" line yet (it is training).
bool hasBatchLine(const QString& trialFolder)
{
    QFile file(trialFolder + "/metrics.jsonl");
    return file.open(QIODevice::ReadOnly) && file.readAll().contains(R"("type":"batch")");
}

int countStatus(const engine::ResultsTable& table, engine::TrialStatus status)
{
    int count = 0;
    for (const auto& row : table.rows)
        count += row.status == status;
    return count;
}

void setParallel(app::ExperimentWindow& window, int parallel)
{
    window.planEditor()->findChild<QSpinBox*>(QStringLiteral("experimentParallel"))->setValue(parallel);
}

/// Trials no other trial beats on both cost (no higher) and metric (no lower), one strictly: by brute force.
std::set<int> dominanceFront(const std::vector<std::tuple<int, double, double>>& trials)
{
    std::set<int> front;
    for (const auto& [trial, cost, metric] : trials) {
        bool dominated = false;
        for (const auto& [other, otherCost, otherMetric] : trials)
            dominated = dominated
                || (other != trial && otherCost <= cost && otherMetric >= metric
                    && (otherCost < cost || otherMetric > metric));
        if (!dominated)
            front.insert(trial);
    }
    return front;
}

void saveScreenshot(QWidget& widget, const QString& name)
{
    const QByteArray folder = qgetenv("NETDRAFT_SCREENSHOTS");
    if (!folder.isEmpty())
        widget.grab().save(QString::fromLocal8Bit(folder) + "/" + name);
}

class ExperimentWindowTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir folder_;
    QString basePath_;

private Q_SLOTS:
    void initTestCase()
    {
        tests::isolateUserFolders(folder_);
        basePath_ = folder_.filePath(QStringLiteral("spirals.netdraft"));
        engine::saveProjectFile(smallSpirals(), basePath_.toStdString());
        QVERIFY2(QFile::exists(QCoreApplication::applicationDirPath() + "/netdraft-cli"),
            "netdraft-cli is built beside the tests");
    }

    void savedThroughAnUndoableCommand()
    {
        editor::GraphDocument document(engine::loadProjectFile(basePath_.toStdString()));
        app::ExperimentWindow window(document);
        QVERIFY(document.project().experiment.empty());
        window.planEditor()->setLinesText(QStringLiteral("training.learning_rate=0.1,0.01,\nfc1.out_features=16,32"));
        QCOMPARE(window.planEditor()->problem(), QString());
        QVERIFY(window.saveToProject());
        const std::vector<std::string> grid { "training.learning_rate=0.1,0.01", "fc1.out_features=16,32" };
        QCOMPARE(document.project().experiment.grid, grid);
        QCOMPARE(document.undoStack()->count(), 1);
        document.undoStack()->undo();
        QVERIFY(document.project().experiment.empty());
        QCOMPARE(window.planEditor()->linesText(), QString()); // the form follows the project
        document.undoStack()->redo();
        QCOMPARE(window.planEditor()->plan().grid, grid);

        // A key the project lacks is refused, named, and nothing is saved.
        window.planEditor()->setLinesText(QStringLiteral("conv9.out_channels=8,16"));
        QVERIFY(window.planEditor()->problem().contains(QStringLiteral("unknown block 'conv9'")));
        QVERIFY(!window.saveToProject());
        QCOMPARE(document.undoStack()->count(), 1);
        // The key chooser offers settings and block parameters with their current values.
        QCOMPARE(
            window.planEditor()->keyLine(QStringLiteral("fc1.out_features")), QStringLiteral("fc1.out_features=64"));
        QVERIFY(window.planEditor()
                    ->keyLine(QStringLiteral("training.learning_rate"))
                    .startsWith("training.learning_rate="));
    }

    void gridOfFourThroughTheWindow()
    {
        editor::GraphDocument document(engine::loadProjectFile(basePath_.toStdString()));
        app::ExperimentWindow window(document);
        window.setProjectPath(basePath_);
        window.resize(1366, 720);
        window.show();
        window.planEditor()->setLinesText(QStringLiteral("training.learning_rate=0.1,0.01\nfc1.out_features=16,32"));
        setParallel(window, 2);
        QSignalSpy ended(&window, &app::ExperimentWindow::trialRunEnded);
        const QString out = folder_.filePath(QStringLiteral("grid"));
        QVERIFY(window.run(out));
        QVERIFY(window.isRunning());
        QVERIFY(!window.run(out)); // one run at a time
        QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), kSweepTimeoutMs);
        QCOMPARE(ended.count(), 4);

        const widgets::ExperimentResultsModel& model = *window.resultsModel();
        const engine::ResultsTable& table = model.table();
        QCOMPARE(table.keys, (std::vector<std::string> { "training.learning_rate", "fc1.out_features" }));
        QCOMPARE(model.rowCount(), 4);
        // (2·16 + 16) + (16·64 + 64) + (64·2 + 2) = 1266 parameters, 2·16 + 16·64 + 64·2 = 1184 MACs;
        // 32 hidden units: 2338 and 2240.
        const std::vector<std::vector<std::string>> values { { "0.1", "16" }, { "0.1", "32" }, { "0.01", "16" },
            { "0.01", "32" } };
        const engine::Project base = engine::loadProjectFile(basePath_.toStdString());
        for (int index = 0; index < 4; ++index) {
            const engine::TrialRow& row = table.rows[size_t(index)];
            QCOMPARE(row.number, index + 1);
            QCOMPARE(row.values, values[size_t(index)]);
            QCOMPARE(row.status, engine::TrialStatus::Completed);
            const bool wide = row.values[1] == "32";
            QCOMPARE(row.parameters, std::optional<int64_t>(wide ? 2338 : 1266));
            QCOMPARE(model.multiplyAccumulates(row.number), std::optional<int64_t>(wide ? 2240 : 1184));
            QCOMPARE(row.multiplyAccumulates, std::optional<int64_t>(wide ? 2240 : 1184)); // results.csv's macs
            QCOMPARE(model.data(model.index(index, model.column(Figure::Parameters))).toString(),
                QString::number(wide ? 2338 : 1266));
            // The figures are those of the trial's own metrics.jsonl.
            const QJsonObject result = resultLine(out + QStringLiteral("/trial-%1").arg(row.number));
            QCOMPARE(result["stop_reason"].toString(), QStringLiteral("completed"));
            QVERIFY(row.testAccuracy.has_value());
            QCOMPARE(*row.testAccuracy, result["test_accuracy"].toDouble());
            QCOMPARE(model.data(model.index(index, model.column(Figure::TestAccuracy))).toString(),
                QString::number(result["test_accuracy"].toDouble() * 100.0, 'f', 1) + " %");
            // The trial's project is the base with its two values and nothing else changed.
            engine::Project expected = base;
            expected.training.learningRate = index < 2 ? 0.1 : 0.01;
            expected.graph.block("fc1").params["out_features"] = int64_t(wide ? 32 : 16);
            const engine::Project trial = engine::loadProjectFile(window.trialProjectPath(row.number).toStdString());
            QVERIFY(trial == expected);
        }

        // Sorting by test accuracy, best first, through the view's header.
        QTableView* view = window.resultsView();
        view->sortByColumn(model.column(Figure::TestAccuracy), Qt::DescendingOrder);
        for (int row = 1; row < 4; ++row)
            QVERIFY(view->model()->index(row - 1, model.column(Figure::TestAccuracy)).data(Qt::UserRole).toDouble()
                >= view->model()->index(row, model.column(Figure::TestAccuracy)).data(Qt::UserRole).toDouble());

        // Parallel coordinates: every trial drawn; 0.1 tops the learning-rate axis (0.01 below), 16 is
        // the bottom of fc1.out_features.
        QCOMPARE(window.parallelCoordinates()->drawnTrials(), (std::vector<int> { 1, 2, 3, 4 }));
        QCOMPARE(window.parallelCoordinates()->crossing(1, 0), 1.0);
        QCOMPARE(window.parallelCoordinates()->crossing(3, 0), 0.0);
        QCOMPARE(window.parallelCoordinates()->crossing(1, 1), 0.0);
        QCOMPARE(window.parallelCoordinates()->crossing(2, 1), 1.0);

        // The Pareto front, against parameters and against MACs, equals a brute-force dominance check.
        for (const auto cost :
            { widgets::ParetoPlot::Cost::Parameters, widgets::ParetoPlot::Cost::MultiplyAccumulates }) {
            window.paretoPlot()->setCost(cost);
            std::vector<std::tuple<int, double, double>> points;
            for (const auto& row : table.rows)
                points.emplace_back(row.number,
                    double(cost == widgets::ParetoPlot::Cost::Parameters ? *row.parameters
                                                                         : *model.multiplyAccumulates(row.number)),
                    *row.bestValidationAccuracy);
            const auto& front = window.paretoPlot()->frontTrials();
            QCOMPARE(std::set<int>(front.begin(), front.end()), dominanceFront(points));
            QVERIFY(!front.empty());
            QCOMPARE(window.paretoPlot()->drawnTrials().size(), size_t(4));
        }
        window.paretoPlot()->setCost(widgets::ParetoPlot::Cost::Parameters);

        // Clicking a trial selects its row.
        window.activateTrial(3);
        const QModelIndexList selected = view->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.front().siblingAtColumn(0).data().toInt(), 3);

        // CSV export read back with the engine's reader; the folder opened in another window.
        const QString csv = folder_.filePath(QStringLiteral("exported.csv"));
        QString error;
        QVERIFY2(window.exportCsv(csv, &error), qPrintable(error));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const engine::ResultsTable back = engine::parseResultsCsv(file.readAll().toStdString());
        QCOMPARE(back.keys, table.keys);
        QCOMPARE(back.rows.size(), table.rows.size());
        for (size_t i = 0; i < back.rows.size(); ++i) {
            QCOMPARE(back.rows[i].values, table.rows[i].values);
            QCOMPARE(back.rows[i].status, table.rows[i].status);
            QCOMPARE(back.rows[i].testAccuracy, table.rows[i].testAccuracy);
            QCOMPARE(back.rows[i].bestValidationLoss, table.rows[i].bestValidationLoss);
            QCOMPARE(back.rows[i].parameters, table.rows[i].parameters);
            QCOMPARE(back.rows[i].multiplyAccumulates, std::optional<int64_t>(i % 2 ? 2240 : 1184));
        }
        app::ExperimentWindow reader(document);
        QVERIFY2(reader.openResults(out, &error), qPrintable(error));
        QCOMPARE(reader.resultsModel()->rowCount(), 4);
        QCOMPARE(reader.resultsModel()->table().rows[3].testAccuracy, table.rows[3].testAccuracy);
        QCOMPARE(reader.resultsModel()->multiplyAccumulates(4), std::optional<int64_t>(2240));
        // A folder from before the macs column: the MACs come from the trials' projects, and Export CSV
        // writes them.
        {
            QFile results(out + "/results.csv");
            QVERIFY(results.open(QIODevice::ReadOnly));
            QStringList lines = QString::fromUtf8(results.readAll()).split('\n');
            results.close();
            for (QString& line : lines) { // drop the 12th field (macs): no quoted commas in these rows
                QStringList fields = line.split(',');
                if (fields.size() > 11)
                    fields.removeAt(11);
                line = fields.join(',');
            }
            QVERIFY(lines.front().endsWith(QStringLiteral(",parameters,seconds,message")));
            QVERIFY(results.open(QIODevice::WriteOnly | QIODevice::Truncate));
            results.write(lines.join('\n').toUtf8());
        }
        app::ExperimentWindow older(document);
        QVERIFY2(older.openResults(out, &error), qPrintable(error));
        QCOMPARE(older.resultsModel()->table().rows[1].multiplyAccumulates, std::optional<int64_t>());
        QCOMPARE(older.resultsModel()->multiplyAccumulates(2), std::optional<int64_t>(2240));
        QVERIFY2(older.exportCsv(csv, &error), qPrintable(error));
        file.close();
        QVERIFY(file.open(QIODevice::ReadOnly));
        const engine::ResultsTable rewritten = engine::parseResultsCsv(file.readAll().toStdString());
        QCOMPARE(rewritten.rows[1].multiplyAccumulates, std::optional<int64_t>(2240));
        QCOMPARE(rewritten.rows[2].multiplyAccumulates, std::optional<int64_t>(1184));
        QVERIFY(!reader.openResults(folder_.filePath(QStringLiteral("nowhere")), &error));
        QVERIFY(error.contains(QStringLiteral("has no results.csv")));

        for (int tab = 0; tab < 3; ++tab) {
            window.tabs()->setCurrentIndex(tab);
            QTest::qWait(50);
            saveScreenshot(window, QStringLiteral("experiment-tab%1.png").arg(tab));
        }
    }

    void pauseExtendAndCancel()
    {
        editor::GraphDocument document(engine::loadProjectFile(basePath_.toStdString()));
        app::ExperimentWindow window(document);
        window.setProjectPath(basePath_);
        window.planEditor()->setLinesText(QStringLiteral("training.learning_rate=0.1,0.05,0.01"));
        QVERIFY(window.run(folder_.filePath(QStringLiteral("queue"))));
        const auto& table = window.resultsModel()->table();
        // Paused while trial 1 runs: it finishes, trial 2 does not start.
        QTRY_COMPARE_WITH_TIMEOUT(countStatus(table, engine::TrialStatus::Running), 1, kSweepTimeoutMs);
        window.setPaused(true);
        QVERIFY(window.isPaused());
        QTRY_COMPARE_WITH_TIMEOUT(countStatus(table, engine::TrialStatus::Completed), 1, kSweepTimeoutMs);
        QTest::qWait(400);
        QCOMPARE(countStatus(table, engine::TrialStatus::Running), 0);
        QCOMPARE(countStatus(table, engine::TrialStatus::Pending), 2);
        QVERIFY(window.isRunning());

        // Extended: one more value gives one more trial, numbered 4; the same form again adds none.
        window.planEditor()->setLinesText(QStringLiteral("training.learning_rate=0.1,0.05,0.01,0.003"));
        QCOMPARE(window.addToQueue(), 1);
        QCOMPARE(window.resultsModel()->rowCount(), 4);
        QCOMPARE(table.rows[3].number, 4);
        QCOMPARE(table.rows[3].values, std::vector<std::string> { "0.003" });
        QCOMPARE(table.rows[3].status, engine::TrialStatus::Pending);
        QVERIFY(QFile::exists(window.trialProjectPath(4)));
        QCOMPARE(window.addToQueue(), 0);
        QVERIFY(window.planEditor()->problem().contains(QStringLiteral("in the table already")));

        // Resumed, then cancelled while trial 2 runs: the trials not started are cancelled.
        window.setPaused(false);
        QTRY_COMPARE_WITH_TIMEOUT(countStatus(table, engine::TrialStatus::Running), 1, kSweepTimeoutMs);
        window.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), kSweepTimeoutMs);
        QCOMPARE(table.rows[0].status, engine::TrialStatus::Completed);
        QVERIFY(table.rows[1].status != engine::TrialStatus::Running
            && table.rows[1].status != engine::TrialStatus::Pending
            && table.rows[1].status != engine::TrialStatus::Cancelled);
        QCOMPARE(table.rows[2].status, engine::TrialStatus::Cancelled);
        QCOMPARE(table.rows[3].status, engine::TrialStatus::Cancelled);
        QVERIFY(window.statusText().contains(QStringLiteral("2 cancelled")));

        // Adding to a cancelled queue goes on with the new trial only.
        window.planEditor()->setLinesText(QStringLiteral("training.learning_rate=0.1,0.05,0.01,0.003,0.001"));
        QCOMPARE(window.addToQueue(), 3); // 0.01 and 0.003 were cancelled: queued again, with 0.001
        QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), kSweepTimeoutMs);
        QCOMPARE(window.resultsModel()->rowCount(), 7);
        QCOMPARE(countStatus(table, engine::TrialStatus::Cancelled), 2);
        for (size_t row = 4; row < 7; ++row)
            QCOMPARE(table.rows[row].status, engine::TrialStatus::Completed);
        QCOMPARE(table.rows[6].values, std::vector<std::string> { "0.001" });
    }

    void trialsLandInTheRunHistory()
    {
        app::MainWindow window(std::make_unique<tests::ScriptedPrompts>());
        QVERIFY(window.openProject(basePath_));
        QAction* action = window.action(QStringLiteral("trainExperiment"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
        action->trigger();
        app::ExperimentWindow* experiment = window.findChild<app::ExperimentWindow*>();
        QVERIFY(experiment && experiment->isVisible());
        experiment->planEditor()->setMethod(widgets::ExperimentPlanEditor::Method::List);
        experiment->planEditor()->setLinesText(
            QStringLiteral("fc1.out_features=8; training.learning_rate=0.05\nfc1.out_features=24"));
        const size_t before = window.runHistory().runs().size();
        QVERIFY(experiment->run());
        QVERIFY(experiment->resultsFolder().startsWith(folder_.filePath(QStringLiteral("spirals.experiments/"))));
        QTRY_VERIFY_WITH_TIMEOUT(!experiment->isRunning(), kSweepTimeoutMs);
        const auto& runs = window.runHistory().runs();
        QCOMPARE(runs.size(), before + 2);
        const auto& table = experiment->resultsModel()->table();
        QCOMPARE(table.rows[1].values, (std::vector<std::string> { "24", "" })); // the project's learning rate
        for (const auto& row : table.rows) {
            const int number = experiment->runOfTrial(row.number);
            const widgets::RunRecord* run = window.runHistory().find(number);
            QVERIFY(run);
            QCOMPARE(run->testAccuracy, row.testAccuracy);
            QCOMPARE(run->stopReason, QStringLiteral("completed"));
            QCOMPARE(run->validationLoss.size(), 1);
            QVERIFY(run->message.startsWith(QStringLiteral("Experiment trial %1").arg(row.number)));
            QVERIFY(QFile::exists(window.runWeightsPath(number)));
            QVERIFY(QFile::exists(window.runFolder(number) + "/project.netdraft"));
        }
        QSignalSpy shown(experiment, &app::ExperimentWindow::showRunRequested);
        experiment->activateTrial(2);
        QCOMPARE(shown.count(), 1);
        QCOMPARE(shown.front().front().toInt(), experiment->runOfTrial(2));
    }
    void quittingWhileTrialsRunAsksFirst()
    {
        auto prompts = std::make_unique<tests::ScriptedPrompts>();
        tests::ScriptedPrompts* answers = prompts.get();
        app::MainWindow window(std::move(prompts));
        QVERIFY(window.openProject(basePath_));
        window.action(QStringLiteral("trainExperiment"))->trigger();
        app::ExperimentWindow* experiment = window.findChild<app::ExperimentWindow*>();
        QVERIFY(experiment);
        // Three long trials, two at a time: two run, one waits.
        experiment->planEditor()->setLinesText(QStringLiteral("training.epochs=300,400,500"));
        setParallel(*experiment, 2);
        QVERIFY(experiment->run(folder_.filePath(QStringLiteral("quit"))));
        const auto& table = experiment->resultsModel()->table();
        QTRY_COMPARE_WITH_TIMEOUT(countStatus(table, engine::TrialStatus::Running), 2, kSweepTimeoutMs);
        for (int trial = 1; trial <= 2; ++trial) // training, not starting up: a stop is clean from here on
            QTRY_VERIFY_WITH_TIMEOUT(
                hasBatchLine(folder_.filePath(QStringLiteral("quit/trial-%1").arg(trial))), kSweepTimeoutMs);
        // The window closed by hand hides; the trials go on and nothing is asked.
        experiment->close();
        QVERIFY(experiment->isRunning());
        QVERIFY(answers->trialQuestions.empty());

        // Quit, answered Cancel: asked once with 2 running and 1 queued; the app and the trials go on.
        answers->stopTrials = false;
        QVERIFY(!window.close());
        QCOMPARE(answers->trialQuestions, (std::vector<std::pair<int, int>> { { 2, 1 } }));
        QVERIFY(experiment->isRunning());
        QTest::qWait(300);
        QCOMPARE(countStatus(table, engine::TrialStatus::Running), 2);
        QCOMPARE(countStatus(table, engine::TrialStatus::Pending), 1);

        // Quit, answered Stop: the running trials stop cleanly after their batch, the third is cancelled,
        // results.csv says so, and the window closes.
        answers->stopTrials = true;
        QVERIFY(window.close());
        QCOMPARE(answers->trialQuestions.size(), size_t(2));
        QVERIFY(!experiment->isRunning());
        QCOMPARE(countStatus(table, engine::TrialStatus::Running), 0);
        QCOMPARE(table.rows[2].status, engine::TrialStatus::Cancelled);
        QFile results(folder_.filePath(QStringLiteral("quit/results.csv")));
        QVERIFY(results.open(QIODevice::ReadOnly));
        const engine::ResultsTable written = engine::parseResultsCsv(results.readAll().toStdString());
        for (int trial = 1; trial <= 2; ++trial) {
            QVERIFY2(written.rows[size_t(trial - 1)].status == engine::TrialStatus::Stopped,
                written.rows[size_t(trial - 1)].message.c_str());
            QCOMPARE(resultLine(folder_.filePath(QStringLiteral("quit/trial-%1").arg(trial)))["stop_reason"].toString(),
                QStringLiteral("stopped"));
        }
        QCOMPARE(written.rows[2].status, engine::TrialStatus::Cancelled);
    }
};

NETDRAFT_TEST(ExperimentWindowTest);

} // namespace experiment_window_test

#include "ExperimentWindowTest.moc"
