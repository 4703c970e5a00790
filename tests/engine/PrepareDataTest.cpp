// prepareData: mismatches with the graph are refused before training with both sides shown;
// splits are seeded, disjoint and complete; normalisation comes from the training part or the spec;
// the dataset kinds a project may name are the registered ones.

#include <torch/torch.h>

#include "engine/data/DatasetRegistry.h"
#include "engine/data/DatasetSplit.h"
#include "engine/data/SeededRandom.h"
#include "tests/engine/DatasetTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <algorithm>

using namespace netdraft::engine;
using namespace netdraft::tests;

namespace {

DatasetSpec generated(const std::string& kind, int64_t samples = 200)
{
    DatasetSpec spec;
    spec.kind = kind;
    spec.samples = samples;
    return spec;
}

} // namespace

class PrepareDataTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void refusesMismatches_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QVector<qint64>>("inputShape");
        QTest::addColumn<qint64>("outputSize");
        QTest::addColumn<bool>("classification");
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<QString>("message");
        QTest::newRow("image size") << "shapes" << QVector<qint64> { 1, 28, 28 } << qint64(10) << true << ""
                                    << "dataset gives 3×32×32 images but the Input block expects 1×28×28";
        QTest::newRow("class count") << "shapes" << QVector<qint64> { 3, 32, 32 } << qint64(5) << true << ""
                                     << "dataset has 10 classes but the Output block receives 5 values per sample";
        QTest::newRow("features") << "moons" << QVector<qint64> { 4 } << qint64(2) << true << ""
                                  << "dataset gives 2 features per sample but the Input block expects 4 features";
        QTest::newRow("sequence length") << "sequences" << QVector<qint64> { 30 } << qint64(2) << true << ""
                                         << "dataset gives sequences of 20 tokens but the Input block expects";
        QTest::newRow("task") << "moons" << QVector<qint64> { 2 } << qint64(1) << false << ""
                              << "dataset is for classification but the Output task is regression";
        QTest::newRow("dtype") << "sequences" << QVector<qint64> { 20 } << qint64(2) << true << "float32"
                               << "dataset gives int64 inputs (token ids) but the Input block's dtype is float32";
        QTest::newRow("unknown kind") << "imagenet" << QVector<qint64> {} << qint64(0) << true << ""
                                      << "dataset kind 'imagenet' is unknown; known kinds: cifar10, cifar100, csv";
    }

    void refusesMismatches()
    {
        QFETCH(QString, kind);
        QFETCH(QVector<qint64>, inputShape);
        QFETCH(qint64, outputSize);
        QFETCH(bool, classification);
        QFETCH(QString, dtype);
        QFETCH(QString, message);
        ExpectedData expected { { inputShape.begin(), inputShape.end() }, outputSize, classification,
            dtype.toStdString() };
        QString error = errorMessage([&] { prepareData(generated(kind.toStdString()), "", expected); });
        QVERIFY2(error.contains(message), qPrintable(error));
    }

    void splitsAreSeededDisjointAndComplete()
    {
        DatasetSpec spec = generated("moons", 1000);
        spec.testFraction = 0.1;
        spec.validationFraction = 0.2;
        ExpectedData expected { { 2 }, 2, true, "float32" };
        PreparedData a = prepareData(spec, "", expected);
        QCOMPARE(a.test.size(), int64_t(100));
        QCOMPARE(a.validation.size(), int64_t(180));
        QCOMPARE(a.train.size(), int64_t(720));
        // Every sample lands in exactly one part (moons points are distinct).
        torch::Tensor all = torch::cat({ a.train.inputs, a.validation.inputs, a.test.inputs });
        QCOMPARE(std::get<0>(at::unique_dim(all, 0)).size(0), int64_t(1000));
        PreparedData same = prepareData(spec, "", expected);
        QVERIFY(torch::equal(a.validation.inputs, same.validation.inputs));
        spec.splitSeed = 8;
        PreparedData other = prepareData(spec, "", expected);
        QVERIFY(!torch::equal(a.validation.inputs, other.validation.inputs));
    }

    void splitsInPlaceEqualTwoSplitOffs()
    {
        // prepareData reorders the loaded images in their one buffer instead of copying them into
        // parts; the parts must hold exactly what splitting off test, then validation, gives.
        DatasetSpec spec = generated("shapes", 300);
        spec.testFraction = 0.1;
        spec.validationFraction = 0.2;
        const ExpectedData expected { { 3, 32, 32 }, 10, true };
        const PreparedData prepared = prepareData(spec, "", expected);
        const LoadedDataset loaded = DatasetRegistry::instance().load({ spec, "", expected });
        const auto [rest, test] = splitOff(loaded.train, spec.testFraction, static_cast<uint64_t>(spec.splitSeed));
        const auto [train, validation]
            = splitOff(rest, spec.validationFraction, mixSeed({ static_cast<uint64_t>(spec.splitSeed), 1 }));
        for (const auto& [part, reference] : { std::pair { &prepared.train, &train },
                 std::pair { &prepared.validation, &validation }, std::pair { &prepared.test, &test } }) {
            QVERIFY(torch::equal(part->inputs, reference->inputs));
            QVERIFY(torch::equal(part->targets, reference->targets));
        }
        // One buffer: the parts are consecutive views of the same storage.
        QCOMPARE(prepared.validation.inputs.data_ptr<uint8_t>(),
            prepared.train.inputs.data_ptr<uint8_t>() + prepared.train.inputs.numel());
        QCOMPARE(prepared.test.inputs.data_ptr<uint8_t>(),
            prepared.validation.inputs.data_ptr<uint8_t>() + prepared.validation.inputs.numel());
    }

    void normalisationFromTrainingPartOrSpec()
    {
        DatasetSpec spec = generated("shapes", 300);
        ExpectedData expected { { 3, 32, 32 }, 10, true };
        PreparedData computed = prepareData(spec, "", expected);
        torch::Tensor train = computed.train.inputs.to(torch::kFloat64) / 255.0;
        torch::Tensor mean = train.mean({ 0, 2, 3 }), std = train.std({ 0, 2, 3 }, false);
        QCOMPARE(computed.normalization.mean.size(), size_t(3));
        for (int64_t c = 0; c < 3; ++c) {
            QVERIFY(std::abs(computed.normalization.mean[c] - mean[c].item<double>()) < 1e-9);
            QVERIFY(std::abs(computed.normalization.std[c] - std[c].item<double>()) < 1e-9);
        }
        spec.normalization = "given";
        spec.mean = { 0.5 };
        spec.std = { 0.25 };
        PreparedData given = prepareData(spec, "", expected);
        QCOMPARE(given.normalization.mean, (std::vector<double> { 0.5, 0.5, 0.5 }));
        QCOMPARE(given.normalization.std, (std::vector<double> { 0.25, 0.25, 0.25 }));
        spec.mean = { 0.5, 0.5 };
        QVERIFY(
            errorMessage([&] { prepareData(spec, "", expected); }).contains("needs mean and std with 1 or 3 values"));
        spec.normalization = "none";
        QVERIFY(!prepareData(spec, "", expected).normalization.enabled());
        spec = generated("sequences");
        QVERIFY(!prepareData(spec, "", { { 20 }, 2, true }).normalization.enabled()); // token ids stay as they are
    }

    void refusesFractionsThatLeaveNothing()
    {
        DatasetSpec spec = generated("moons", 10);
        spec.testFraction = 0.9;
        spec.validationFraction = 0.9;
        QVERIFY(errorMessage([&] { prepareData(spec, "", {}); }).contains("leave no training samples"));
    }

    void kindChoicesAreTheRegisteredKinds()
    {
        // Project files and the dataset panel offer exactly the kinds that have a loader.
        const auto& fields = DatasetSpec::fields();
        const auto kind
            = std::find_if(fields.begin(), fields.end(), [](const auto& field) { return field.spec.name == "kind"; });
        QVERIFY(kind != fields.end());
        std::vector<std::string> choices = kind->spec.choices;
        QCOMPARE(choices, DatasetSpec::kinds());
        QVERIFY(std::find(choices.begin(), choices.end(), DatasetSpec().kind) != choices.end());
        std::sort(choices.begin(), choices.end());
        QCOMPARE(choices, DatasetRegistry::instance().kinds());
    }
};

NETDRAFT_TEST(PrepareDataTest);
#include "PrepareDataTest.moc"
