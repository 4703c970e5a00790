// IDX (MNIST, Fashion-MNIST) and CIFAR-10/100 readers on small files written here: contents
// round-trip, and malformed files give errors naming the file and byte offset.

#include <torch/torch.h>

#include "engine/data/CifarReader.h"
#include "engine/data/IdxReader.h"
#include "tests/engine/DatasetTestFiles.h"
#include "tests/engine/DatasetTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace netdraft::engine;
using namespace netdraft::tests;

namespace {

Bytes randomBytes(size_t count, uint64_t seed)
{
    Bytes bytes(count);
    uint64_t state = seed * 6364136223846793005ull + 1442695040888963407ull;
    for (auto& byte : bytes) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        byte = static_cast<uint8_t>(state >> 56);
    }
    return bytes;
}

torch::Tensor asTensor(const Bytes& bytes, std::vector<int64_t> shape)
{
    return torch::tensor(std::vector<int64_t>(bytes.begin(), bytes.end())).to(torch::kUInt8).view(shape);
}

QByteArray toQt(const Bytes& bytes)
{
    return QByteArray(reinterpret_cast<const char*>(bytes.data()), int(bytes.size()));
}

Bytes fromQt(const QByteArray& bytes)
{
    return Bytes(bytes.begin(), bytes.end());
}

} // namespace

class DatasetReadersTest : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> dir_;
    std::string path(const std::string& name) const
    {
        return dir_->filePath(QString::fromStdString(name)).toStdString();
    }

private Q_SLOTS:
    void init() { dir_ = std::make_unique<QTemporaryDir>(); }

    void mnistFolderRoundTrips_data()
    {
        QTest::addColumn<bool>("compressed");
        QTest::newRow("plain") << false;
        QTest::newRow("gzip") << true;
    }

    void mnistFolderRoundTrips()
    {
        QFETCH(bool, compressed);
        const Bytes train = randomBytes(5 * 28 * 28, 1), test = randomBytes(2 * 28 * 28, 2);
        const Bytes trainLabels { 3, 0, 9, 1, 1 }, testLabels { 7, 2 };
        auto put = [&](const std::string& name, const Bytes& bytes) {
            writeFile(path(compressed ? name + ".gz" : name), compressed ? gzip(bytes) : bytes);
        };
        put("train-images-idx3-ubyte", idxImages(5, 28, 28, train));
        put("train-labels-idx1-ubyte", idxLabels(trainLabels));
        put("t10k-images-idx3-ubyte", idxImages(2, 28, 28, test));
        put("t10k-labels-idx1-ubyte", idxLabels(testLabels));
        PreparedData data = loadUnsplit("fashion_mnist", dir_->path().toStdString(), { { 1, 28, 28 }, 10, true });
        QVERIFY(torch::equal(data.train.inputs, asTensor(train, { 5, 1, 28, 28 })));
        QVERIFY(torch::equal(data.train.targets, torch::tensor({ 3, 0, 9, 1, 1 }, torch::kInt64)));
        QVERIFY(torch::equal(data.test.inputs, asTensor(test, { 2, 1, 28, 28 })));
        QVERIFY(torch::equal(data.test.targets, torch::tensor({ 7, 2 }, torch::kInt64)));
        QCOMPARE(data.train.classNames.at(9), std::string("Ankle boot"));
        QCOMPARE(data.train.inputScale, 255.0);
    }

    void mnistRefusesCountMismatchAndShape()
    {
        writeFile(path("train-images-idx3-ubyte"), idxImages(3, 28, 28, randomBytes(3 * 784, 3)));
        writeFile(path("train-labels-idx1-ubyte"), idxLabels({ 1, 2 }));
        const std::string folder = dir_->path().toStdString();
        QVERIFY(errorMessage([&] { loadUnsplit("mnist", folder, {}); }).contains("holds 3 images but"));
        writeFile(path("train-labels-idx1-ubyte"), idxLabels({ 1, 2, 3 }));
        QString message = errorMessage([&] { loadUnsplit("mnist", folder, { { 3, 32, 32 }, 10, true }); });
        QVERIFY2(
            message.contains("dataset gives 1×28×28 images but the Input block expects 3×32×32"), qPrintable(message));
        QVERIFY(errorMessage([&] { loadUnsplit("mnist", path("nowhere"), {}); }).contains("holds no train-images"));
    }

    void malformedIdx_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<bool>("labels");
        QTest::addColumn<QString>("message");
        const Bytes four = randomBytes(3 * 2 * 2, 4);
        Bytes cut = idxImages(3, 2, 2, four);
        cut.pop_back();
        Bytes extra = idxImages(3, 2, 2, four);
        extra.push_back(0);
        Bytes zipped = gzip(idxImages(3, 28, 28, randomBytes(3 * 784, 5)));
        Bytes zippedCut(zipped.begin(), zipped.begin() + zipped.size() / 2);
        Bytes zippedBad = zipped;
        zippedBad[zippedBad.size() - 6] ^= 0xFF; // inside the CRC-32 trailer
        auto row = [](const char* name, const Bytes& content, bool labels, const char* message) {
            QTest::newRow(name) << toQt(content) << labels << QString::fromUtf8(message);
        };
        row("wrong magic", idxLabels({ 1, 2 }), false, "byte 0: wrong magic number 0x801 for an IDX image file");
        row("header cut", Bytes { 0, 0, 8, 3, 0, 0, 0, 1, 0, 0 }, false, "byte 8: file ends before this 4-byte header");
        row("count beyond file", idxImages(1000000, 28, 28, randomBytes(2 * 784, 6)), false,
            "byte 16: the header claims 1000000 images of 784 bytes but 1568 bytes follow");
        row("absurd count", idxImages(0xFFFFFFFFu, 4096, 4096, four), false, "claims 4294967295 images");
        row("absurd size", idxImages(1, 65535, 65535, four), false, "image size 65535×65535 is not between");
        row("truncated", cut, false, "claims 3 images of 4 bytes but 11 bytes follow the header (file is truncated");
        row("extra data", extra, false, "13 bytes follow the header (unexpected extra data)");
        row("label out of range", idxLabels({ 1, 2, 12 }), true,
            "byte 10: label 12 of sample 2 is out of range for 10");
        row("label count beyond file", Bytes { 0, 0, 8, 1, 0, 0, 1, 0, 4 }, true, "claims 256 labels");
        row("gzip truncated", zippedCut, false, "gzip data is truncated or corrupt");
        row("gzip corrupt", zippedBad, false, "gzip data is truncated or corrupt");
        row("gzip wrong magic", gzip(idxLabels({ 1 })), false, "byte 0 of the decompressed data: wrong magic number");
    }

    void malformedIdx()
    {
        QFETCH(QByteArray, content);
        QFETCH(bool, labels);
        QFETCH(QString, message);
        const std::string file = path("broken-idx");
        writeFile(file, fromQt(content));
        QString error = errorMessage([&] { labels ? readIdxLabels(file, 10) : readIdxImages(file); });
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(error.contains(QString::fromStdString(file)), qPrintable(error));
    }

    void cifar10RoundTrips()
    {
        // Files in the folder the official archive unpacks to, found from its parent.
        std::filesystem::create_directory(path("cifar-10-batches-bin"));
        const Bytes first = randomBytes(4 * 3072, 7), second = randomBytes(3 * 3072, 8),
                    test = randomBytes(2 * 3072, 9);
        writeFile(path("cifar-10-batches-bin/data_batch_1.bin"), cifarRecords({ { 0 }, { 1 }, { 2 }, { 3 } }, first));
        writeFile(path("cifar-10-batches-bin/data_batch_2.bin"), cifarRecords({ { 9 }, { 8 }, { 7 } }, second));
        writeFile(path("cifar-10-batches-bin/test_batch.bin"), cifarRecords({ { 5 }, { 4 } }, test));
        PreparedData data = loadUnsplit("cifar10", dir_->path().toStdString(), { { 3, 32, 32 }, 10, true });
        QVERIFY(torch::equal(
            data.train.inputs, torch::cat({ asTensor(first, { 4, 3, 32, 32 }), asTensor(second, { 3, 3, 32, 32 }) })));
        QVERIFY(torch::equal(data.train.targets, torch::tensor({ 0, 1, 2, 3, 9, 8, 7 }, torch::kInt64)));
        QVERIFY(torch::equal(data.test.inputs, asTensor(test, { 2, 3, 32, 32 })));
        QVERIFY(torch::equal(data.test.targets, torch::tensor({ 5, 4 }, torch::kInt64)));
        QCOMPARE(data.train.classNames.at(0), std::string("airplane"));
    }

    void cifar100RoundTrips()
    {
        const Bytes pixels = randomBytes(3 * 3072, 10);
        writeFile(path("train.bin"), cifarRecords({ { 19, 99 }, { 0, 5 }, { 3, 50 } }, pixels));
        CifarRecords records = readCifarBatch(path("train.bin"), 100, 20);
        QVERIFY(torch::equal(records.coarseLabels, torch::tensor({ 19, 0, 3 }, torch::kInt64)));
        PreparedData data = loadUnsplit("cifar100", dir_->path().toStdString(), { { 3, 32, 32 }, 100, true });
        QVERIFY(torch::equal(data.train.inputs, asTensor(pixels, { 3, 3, 32, 32 })));
        QVERIFY(torch::equal(data.train.targets, torch::tensor({ 99, 5, 50 }, torch::kInt64)));
        QCOMPARE(data.train.classNames.size(), size_t(100));
        QCOMPARE(data.test.size(), int64_t(0)); // no test.bin and test fraction 0
        QString message = errorMessage([&] {
            loadUnsplit("cifar100", dir_->path().toStdString(), { { 3, 32, 32 }, 10, true });
        });
        QVERIFY2(message.contains("dataset has 100 classes but the Output block receives 10"), qPrintable(message));
    }

    void malformedCifar_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("coarseClasses");
        QTest::addColumn<QString>("message");
        Bytes cut = cifarRecords({ { 1 }, { 2 } }, randomBytes(2 * 3072, 11));
        cut.resize(cut.size() - 100);
        QTest::newRow("truncated") << toQt(cut) << 0 << "byte 3073: file size 6046 is not a whole number of 3073-byte";
        QTest::newRow("label 10") << toQt(cifarRecords({ { 1 }, { 10 } }, randomBytes(2 * 3072, 12))) << 0
                                  << "byte 3073: label 10 of record 1 is out of range for 10 classes";
        QTest::newRow("coarse 20") << toQt(cifarRecords({ { 20, 1 } }, randomBytes(3072, 13))) << 20
                                   << "byte 0: coarse label 20 of record 0 is out of range for 20 superclasses";
        QTest::newRow("fine 100") << toQt(cifarRecords({ { 1, 1 }, { 2, 100 } }, randomBytes(2 * 3072, 14))) << 20
                                  << "byte 3075: label 100 of record 1 is out of range for 100 classes";
        QTest::newRow("empty") << QByteArray() << 0 << "file is empty";
        QTest::newRow("CIFAR-100 read as CIFAR-10")
            << toQt(cifarRecords({ { 1, 1 }, { 2, 3 } }, randomBytes(2 * 3072, 15))) << 0 << "choose cifar100?";
    }

    void malformedCifar()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, coarseClasses);
        QFETCH(QString, message);
        const std::string file = path("batch.bin");
        writeFile(file, fromQt(content));
        QString error = errorMessage([&] { readCifarBatch(file, coarseClasses ? 100 : 10, coarseClasses); });
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(error.contains(QString::fromStdString(file)), qPrintable(error));
    }
};

NETDRAFT_TEST(DatasetReadersTest);
#include "DatasetReadersTest.moc"
