// Generated datasets: same seed gives the same samples, classes are balanced, shapes and value
// ranges are as documented, and the sequence rule holds.

#include <torch/torch.h>

#include "engine/data/GeneratedDatasets.h"
#include "engine/data/PreparedData.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

using namespace netdraft::engine;

namespace {

InMemoryDataset generate(const QString& kind, int64_t samples, uint64_t seed)
{
    if (kind == "shapes")
        return generateShapes(samples, seed);
    if (kind == "spirals")
        return generateSpirals(samples, seed, 2);
    if (kind == "spirals3")
        return generateSpirals(samples, seed, 3);
    if (kind == "moons")
        return generateMoons(samples, seed);
    return generateSequences(samples, seed);
}

} // namespace

class GeneratedDatasetsTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void datasetIsWellFormed_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QVector<qint64>>("sampleShape");
        QTest::addColumn<int>("dtype");
        QTest::addColumn<int>("classes");
        QTest::newRow("shapes") << "shapes" << QVector<qint64> { 3, 32, 32 } << int(torch::kUInt8) << 10;
        QTest::newRow("spirals") << "spirals" << QVector<qint64> { 2 } << int(torch::kFloat32) << 2;
        QTest::newRow("spirals3") << "spirals3" << QVector<qint64> { 2 } << int(torch::kFloat32) << 3;
        QTest::newRow("moons") << "moons" << QVector<qint64> { 2 } << int(torch::kFloat32) << 2;
        QTest::newRow("sequences") << "sequences" << QVector<qint64> { 20 } << int(torch::kInt64) << 2;
    }

    void datasetIsWellFormed()
    {
        QFETCH(QString, kind);
        QFETCH(QVector<qint64>, sampleShape);
        QFETCH(int, dtype);
        QFETCH(int, classes);
        const int64_t samples = 60 * classes;
        InMemoryDataset data = generate(kind, samples, 3);
        QCOMPARE(data.size(), samples);
        QCOMPARE(data.sampleShape(), std::vector<int64_t>(sampleShape.begin(), sampleShape.end()));
        QCOMPARE(int(data.inputs.scalar_type()), dtype);
        QCOMPARE(int64_t(data.classNames.size()), int64_t(classes));
        QCOMPARE(data.targets.scalar_type(), torch::kInt64);
        // Balanced: every class exactly samples / classes times.
        torch::Tensor counts = torch::bincount(data.targets, {}, classes);
        QVERIFY(torch::equal(counts, torch::full({ classes }, samples / classes, torch::kInt64)));
        QVERIFY(!data.description.empty());
        if (kind == "shapes")
            QCOMPARE(data.inputScale, 255.0);
        if (kind != "shapes" && kind != "sequences")
            QVERIFY(data.inputs.abs().max().item<float>() < 3.0f);
    }

    void sameSeedSameSamples_data() { datasetIsWellFormed_data(); }

    void sameSeedSameSamples()
    {
        QFETCH(QString, kind);
        InMemoryDataset a = generate(kind, 120, 11);
        InMemoryDataset b = generate(kind, 120, 11);
        InMemoryDataset other = generate(kind, 120, 12);
        QVERIFY(torch::equal(a.inputs, b.inputs));
        QVERIFY(torch::equal(a.targets, b.targets));
        QVERIFY(!torch::equal(a.inputs, other.inputs));
        // Sample i depends on (seed, i) only: a smaller set is a prefix of a larger one.
        InMemoryDataset prefix = generate(kind, 30, 11);
        QVERIFY(torch::equal(prefix.inputs, a.inputs.narrow(0, 0, 30)));
    }

    void shapesAreVisibleAndDistinct()
    {
        InMemoryDataset data = generateShapes(500, 2);
        torch::Tensor images = data.inputs.to(torch::kFloat32) / 255.0;
        // Every image has a figure: its pixels spread well beyond the noise.
        torch::Tensor spread = images.flatten(1).std(1);
        QVERIFY(spread.min().item<float>() > 0.05f);
        // Class-average silhouettes (grey level distance from the image's median colour) differ.
        torch::Tensor grey = images.mean(1);
        torch::Tensor foreground = (grey - std::get<0>(grey.flatten(1).median(1)).view({ -1, 1, 1 })).abs();
        std::vector<torch::Tensor> means;
        for (int64_t k = 0; k < 10; ++k)
            means.push_back(foreground.index({ data.targets == k }).mean(0));
        for (int64_t a = 0; a < 10; ++a)
            for (int64_t b = a + 1; b < 10; ++b)
                QVERIFY2((means[a] - means[b]).abs().mean().item<float>() > 0.005f,
                    qPrintable(QString("classes %1 and %2 look alike").arg(a).arg(b)));
    }

    void sequencesFollowTheMarkerRule()
    {
        InMemoryDataset data = generateSequences(400, 5);
        QVERIFY(data.inputs.min().item<int64_t>() >= 0);
        QVERIFY(data.inputs.max().item<int64_t>() < kSequenceVocabulary);
        torch::Tensor countA = (data.inputs == kSequenceMarkerA).sum(1);
        torch::Tensor countB = (data.inputs == kSequenceMarkerB).sum(1);
        QVERIFY(torch::equal((countB > countA).to(torch::kInt64), data.targets));
        QVERIFY(torch::all(countA != countB).item<bool>());
    }

    void spiralsFollowTheOutputBlock()
    {
        DatasetSpec spec;
        spec.kind = "spirals";
        spec.samples = 300;
        ExpectedData expected { { 2 }, 3, true };
        PreparedData data = prepareData(spec, "", expected);
        QCOMPARE(int64_t(data.train.classNames.size()), int64_t(3));
        expected.outputSize = 2;
        QCOMPARE(int64_t(prepareData(spec, "", expected).train.classNames.size()), int64_t(2));
    }
};

NETDRAFT_TEST(GeneratedDatasetsTest);
#include "GeneratedDatasetsTest.moc"
