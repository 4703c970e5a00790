// An experiment's results: a trial's metrics.jsonl read back (cut-off lines skipped, resumed epochs
// replaced), results.csv written and read back (quoting, empty values), the median stopping rule against
// hand-computed medians, and trial processes whose ends are told apart (exit status, SIGKILL).

#include "engine/core/Error.h"
#include "engine/experiment/MedianStoppingRule.h"
#include "engine/experiment/TrialProcess.h"
#include "engine/experiment/TrialResult.h"
#include "tests/support/TestRegistry.h"
#include "tests/support/ErrorOf.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace netdraft::engine;
using netdraft::tests::errorOf;
namespace fs = std::filesystem;

namespace {

std::vector<EpochFigures> lossCurveOf(const std::vector<double>& losses)
{
    std::vector<EpochFigures> epochs;
    for (size_t i = 0; i < losses.size(); ++i) {
        EpochFigures figures;
        figures.epoch = static_cast<int64_t>(i) + 1;
        figures.validationLoss = losses[i];
        figures.validationAccuracy = 1.0 - losses[i];
        epochs.push_back(figures);
    }
    return epochs;
}

std::string readLogText(const std::string& path)
{
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

class ExperimentResultsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsWhatTrainWrote()
    {
        QTemporaryDir directory;
        const std::string path = directory.filePath("metrics.jsonl").toStdString();
        // As `netdraft-cli train` writes it (nlohmann's sorted keys), with a resumed epoch 2 and a
        // line cut short by a kill.
        std::ofstream(path)
            << R"({"batch":1,"epoch":1,"loss":0.9,"type":"batch"})" "\n"
            << R"({"epoch":1,"improved":true,"seconds":0.5,"train_loss":0.8,"type":"epoch","val_accuracy":0.6,"val_loss":0.7})" "\n"
            << R"({"epoch":2,"improved":false,"seconds":0.5,"train_loss":0.7,"type":"epoch","val_accuracy":0.5,"val_loss":0.9})" "\n"
            << R"({"epoch":2,"improved":true,"seconds":0.5,"train_loss":0.6,"type":"epoch","val_accuracy":0.8,"val_loss":0.4})" "\n"
            << R"({"epoch":3,"improved":false,"seconds":0.5,"train_loss":0.5,"type":"epoch","val_accuracy":null,"val_loss":0.45})" "\n"
            << R"({"best_epoch":2,"epochs_completed":3,"message":"completed 3 epochs","stop_reason":"completed",)"
               R"("test_accuracy":0.75,"test_loss":0.5,"test_mae":null,"type":"result"})" "\n"
            << R"({"epoch":4,"improved":fal)";
        const TrainingRunRecord record = readTrainingRun(path);
        QVERIFY(record.finished);
        QCOMPARE(record.stopReason, std::string("completed"));
        QCOMPARE(record.epochsCompleted, int64_t{ 3 });
        QCOMPARE(record.bestEpoch, int64_t{ 2 });
        QCOMPARE(record.epochs.size(), size_t{ 3 });
        QCOMPARE(record.epochs[1].validationLoss, std::optional<double>(0.4)); // the resumed line wins
        QCOMPARE(record.epochs[2].validationAccuracy, std::optional<double>());
        QCOMPARE(record.testAccuracy, std::optional<double>(0.75));
        QCOMPARE(record.testMeanAbsoluteError, std::optional<double>());
        TrialRow row;
        row.takeFigures(record);
        QCOMPARE(row.bestValidationLoss, std::optional<double>(0.4));
        QCOMPARE(row.bestValidationAccuracy, std::optional<double>(0.8));
        QCOMPARE(row.testLoss, std::optional<double>(0.5));

        const TrainingRunRecord missing = readTrainingRun(directory.filePath("none.jsonl").toStdString());
        QVERIFY(!missing.finished);
        QVERIFY(missing.epochs.empty());
    }

    void csvRoundTrip()
    {
        ResultsTable table;
        table.keys = { "training.learning_rate", "conv1.kernel_size" };
        TrialRow first;
        first.number = 1;
        first.values = { "1e-3", "[3,5]" };
        first.status = TrialStatus::Completed;
        first.epochs = 3;
        first.bestEpoch = 2;
        first.bestValidationLoss = 0.1 + 0.2; // needs all 17 digits to read back
        first.bestValidationAccuracy = 0.875;
        first.testLoss = 0.5;
        first.testAccuracy = 1.0 / 3.0;
        first.parameters = 1266;
        first.multiplyAccumulates = 1216;
        first.seconds = 12.3456;
        TrialRow second;
        second.number = 2;
        second.values = { "0.1", "7" };
        second.status = TrialStatus::Failed;
        second.message = "error: \"fp16\" needs CUDA,\nsee train.log";
        table.rows = { first, second };

        const std::string text = resultsCsv(table);
        QCOMPARE(text.substr(0, text.find('\n')),
            std::string("trial,training.learning_rate,conv1.kernel_size,status,epochs,best_epoch,best_val_loss,"
                        "best_val_accuracy,test_loss,test_accuracy,parameters,macs,seconds,message"));
        QVERIFY2(
            text.find(
                "\n1,1e-3,\"[3,5]\",completed,3,2,0.30000000000000004,0.875,0.5,0.3333333333333333,1266,1216,12.346,\n")
                != std::string::npos,
            text.c_str());
        QVERIFY(text.find("2,0.1,7,failed,0,0,,,,,,,0.000,\"error: \"\"fp16\"\" needs CUDA,\nsee train.log\"\n")
            != std::string::npos);

        const ResultsTable back = parseResultsCsv(text);
        QCOMPARE(back.keys, table.keys);
        QCOMPARE(back.rows.size(), size_t{ 2 });
        QCOMPARE(back.rows[0].values, first.values);
        QCOMPARE(back.rows[0].bestValidationLoss, first.bestValidationLoss);
        QCOMPARE(back.rows[0].testAccuracy, first.testAccuracy);
        QCOMPARE(back.rows[0].parameters, first.parameters);
        QCOMPARE(back.rows[0].multiplyAccumulates, first.multiplyAccumulates);
        QCOMPARE(back.rows[0].seconds, 12.346);
        QCOMPARE(back.rows[1].status, TrialStatus::Failed);
        QCOMPARE(back.rows[1].message, second.message);
        QCOMPARE(back.rows[1].bestValidationLoss, std::optional<double>());
        QCOMPARE(back.rows[1].parameters, std::optional<int64_t>());
        QCOMPARE(back.rows[1].multiplyAccumulates, std::optional<int64_t>());
        QCOMPARE(resultsCsv(back), resultsCsv([&] {
            ResultsTable rounded = table;
            rounded.rows[0].seconds = 12.346;
            return rounded;
        }()));

        QCOMPARE(errorOf([] { parseResultsCsv("number,status\n"); }),
            std::string("results.csv: the first line must be the header, starting with 'trial'"));
        QCOMPARE(errorOf(
                     [&] { parseResultsCsv(text.substr(0, text.find('\n') + 1) + "1,0.1,3,done,1,1,,,,,,,1.0,\n"); }),
            std::string("unknown trial status 'done'; expected one of pending, running, completed, stopped, pruned, "
                        "failed, cancelled"));
        QCOMPARE(errorOf([&] { parseResultsCsv(text.substr(0, text.find('\n') + 1) + "1,0.1,3\n"); }),
            std::string("results.csv line 2: 3 fields, expected 14"));
        QCOMPARE(errorOf([&] {
            parseResultsCsv(text.substr(0, text.find('\n') + 1) + "1,0.1,3,completed,1,1,,,,,10,many,1.0,\n");
        }),
            std::string("results.csv line 2: macs must be an integer, got 'many'"));
        QCOMPARE(errorOf([] { parseResultsCsv("trial,status,epochs,seconds\n"); }),
            std::string("results.csv: the header must end with the columns status, epochs, best_epoch, best_val_loss, "
                        "best_val_accuracy, test_loss, test_accuracy, parameters, macs, seconds, message (macs may be "
                        "missing)"));
    }

    void readsResultsWithoutMacs()
    {
        // results.csv as sweeps wrote it before the macs column: read with no MACs, the rest in place.
        const ResultsTable table = parseResultsCsv(
            "trial,training.learning_rate,status,epochs,best_epoch,best_val_loss,best_val_accuracy,test_loss,"
            "test_accuracy,parameters,seconds,message\n"
            "1,0.1,completed,2,2,0.25,0.9,0.3,0.875,1266,4.500,\n"
            "2,0.01,failed,0,0,,,,,,0.250,\"crashed, see train.log\"\n");
        QCOMPARE(table.keys, std::vector<std::string> { "training.learning_rate" });
        QCOMPARE(table.rows.size(), size_t { 2 });
        QCOMPARE(table.rows[0].values, std::vector<std::string> { "0.1" });
        QCOMPARE(table.rows[0].status, TrialStatus::Completed);
        QCOMPARE(table.rows[0].testAccuracy, std::optional<double>(0.875));
        QCOMPARE(table.rows[0].parameters, std::optional<int64_t>(1266));
        QCOMPARE(table.rows[0].multiplyAccumulates, std::optional<int64_t>());
        QCOMPARE(table.rows[0].seconds, 4.5);
        QCOMPARE(table.rows[0].message, std::string());
        QCOMPARE(table.rows[1].seconds, 0.25);
        QCOMPARE(table.rows[1].message, std::string("crashed, see train.log"));
        // Written again, it has the column, empty.
        const std::string again = resultsCsv(table);
        QVERIFY2(again.find(",parameters,macs,seconds,message\n1,0.1,completed,2,2,0.25,0.9,0.3,0.875,1266,,4.500,\n")
                != std::string::npos,
            again.c_str());
    }

    void medianStoppingRule()
    {
        MedianStoppingRule rule;
        rule.afterEpochs = 2;
        rule.minimumReferences = 3;
        // Best validation loss by epoch 2 of the references: 0.5, 0.4, 0.6, 0.3 → median (0.4 + 0.5) / 2 = 0.45.
        const std::vector<std::vector<EpochFigures>> references{ lossCurveOf({ 0.9, 0.5, 0.2 }),
            lossCurveOf({ 0.4, 0.6, 0.1 }), lossCurveOf({ 0.8, 0.6 }), lossCurveOf({ 0.3, 0.35, 0.3 }) };
        QVERIFY(!rule.shouldStop(lossCurveOf({ 0.9 }), references)); // before K epochs
        QVERIFY(rule.shouldStop(lossCurveOf({ 0.9, 0.46 }), references));
        QVERIFY(!rule.shouldStop(lossCurveOf({ 0.9, 0.45 }), references)); // equal to the median runs on
        QVERIFY(!rule.shouldStop(lossCurveOf({ 0.44, 0.9 }), references)); // its best so far counts
        // Epoch 3: only three references reached it (bests 0.2, 0.1, 0.3 → median 0.2).
        QVERIFY(rule.shouldStop(lossCurveOf({ 0.9, 0.9, 0.25 }), references));
        QVERIFY(!rule.shouldStop(lossCurveOf({ 0.9, 0.9, 0.15 }), references));
        // Too few references: runs on.
        QVERIFY(!rule.shouldStop(lossCurveOf({ 0.9, 0.9 }), { references[0], references[1] }));
        // Accuracy: higher is better (1 - loss above: median of 0.5, 0.6, 0.4, 0.7 = 0.55).
        rule.lowerIsBetter = false;
        QVERIFY(rule.shouldStop(lossCurveOf({ 0.9, 0.46 }), references)); // accuracy 0.54
        QVERIFY(!rule.shouldStop(lossCurveOf({ 0.9, 0.44 }), references)); // accuracy 0.56
        rule.afterEpochs = 0;
        QVERIFY(!rule.shouldStop(lossCurveOf({ 1.0, 1.0 }), references)); // off
    }

    void processEndsAreToldApart()
    {
        QTemporaryDir directory;
        const std::string log = directory.filePath("train.log").toStdString();
        auto failing = TrialProcess::start({ "/bin/sh", "-c", "echo 'error: no data'; exit 3" }, log);
        failing->wait();
        QVERIFY(!failing->succeeded());
        QCOMPARE(failing->endDescription(), std::string("exited with status 3"));
        QCOMPARE(readLogText(log), std::string("error: no data\n"));

        auto sleeping = TrialProcess::start({ "/bin/sleep", "30" }, log);
        QVERIFY(!sleeping->poll());
        sleeping->kill();
        sleeping->wait();
        QVERIFY(sleeping->endDescription().rfind("killed by signal 9", 0) == 0);

        auto fine = TrialProcess::start({ "/bin/true" }, log);
        fine->wait();
        QVERIFY(fine->succeeded());

        QCOMPARE(errorOf([&] { TrialProcess::start({ "/nonexistent/netdraft-cli" }, log); }),
            std::string("cannot start /nonexistent/netdraft-cli: No such file or directory"));
    }
};

NETDRAFT_TEST(ExperimentResultsTest);
#include "ExperimentResultsTest.moc"
