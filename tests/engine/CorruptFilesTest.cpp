// Truncated, bit-flipped and hand-crafted .pt files are refused with an Error (or, when the damage
// is harmless, load correctly); they never crash the process.

#include <torch/torch.h>

#include "engine/core/Error.h"
#include "engine/io/StateDict.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/train/WeightsImport.h"
#include "engine/io/ZipContainerCheck.h"
#include "engine/graph/GraphBuilder.h"
#include "tests/support/TestRegistry.h"

#include <QTest>

#include <random>

using namespace netdraft::engine;

namespace {

Graph smallGraph()
{
    GraphBuilder builder;
    builder.input({6}).then("Linear", {{"out_features", int64_t(5)}}, "fc1").then("ReLU", {}, "relu");
    builder.then("Linear", {{"out_features", int64_t(3)}}, "fc2").output();
    return builder.graph();
}

/// 50 cut points spread over the file, denser near the end where the directory lives.
std::vector<size_t> truncationPoints(size_t size)
{
    std::vector<size_t> points;
    for (size_t i = 0; i < 35; ++i)
        points.push_back(size * i / 35);
    for (size_t i = 1; i <= 15; ++i)
        points.push_back(size - std::min(size, i * 7));
    return points;
}

/// Copies of `bytes` with one random bit flipped each; a fixed seed keeps failures reproducible.
std::vector<std::string> bitFlips(const std::string& bytes, int count)
{
    std::mt19937 random(1234);
    std::uniform_int_distribution<size_t> position(0, bytes.size() - 1);
    std::uniform_int_distribution<int> bit(0, 7);
    std::vector<std::string> result;
    for (int i = 0; i < count; ++i) {
        std::string copy = bytes;
        copy[position(random)] ^= static_cast<char>(1 << bit(random));
        result.push_back(std::move(copy));
    }
    return result;
}

void putLittleEndian(std::string& bytes, size_t offset, uint32_t value, int width)
{
    for (int i = 0; i < width; ++i)
        bytes[offset + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

/// Offset of the first central directory entry.
size_t firstCentralEntry(const std::string& bytes)
{
    const size_t at = bytes.find(std::string("PK\x01\x02", 4));
    return at == std::string::npos ? 0 : at;
}

} // namespace

class CorruptFilesTest : public QObject {
    Q_OBJECT
private:
    std::string stateDict_;
    NamedTensors original_;
    std::string torchScript_;
    GraphModel model_{nullptr};

    /// Either refused with Error or read back equal to the original.
    void expectStateDictRefusedOrIntact(const std::string& bytes, int& refused)
    {
        try {
            const NamedTensors read = readTensorDict(bytes, "damaged.pt");
            QCOMPARE(read.size(), original_.size());
            for (size_t i = 0; i < read.size(); ++i) {
                QCOMPARE(read[i].first, original_[i].first);
                QVERIFY(torch::equal(read[i].second, original_[i].second));
            }
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("damaged.pt") != std::string::npos);
            ++refused;
        }
    }

    void expectTorchScriptRefusedOrIntact(const std::string& bytes, int& refused)
    {
        try {
            LoadedTorchScript loaded = loadTorchScriptArchive(bytes, "damaged.pt");
            torch::NoGradGuard noGrad;
            torch::Tensor input = torch::randn({2, 6});
            QVERIFY(torch::allclose(loaded.module.forward({input}).toTensor(), model_->forward(input), 1e-5, 1e-6));
        } catch (const Error& error) {
            QVERIFY(std::string(error.what()).find("damaged.pt") != std::string::npos);
            ++refused;
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        const Graph graph = smallGraph();
        model_ = buildModel(graph, 9);
        model_->eval();
        original_ = namedState(*model_);
        stateDict_ = tensorDictArchive(original_);
        torchScript_ = torchScriptArchive(graph, *model_, metadataFromGraph(graph));
    }

    void truncatedStateDicts()
    {
        int refused = 0;
        for (size_t cut : truncationPoints(stateDict_.size()))
            expectStateDictRefusedOrIntact(stateDict_.substr(0, cut), refused);
        QCOMPARE(refused, 50); // a cut always loses the end record
    }

    void bitFlippedStateDicts()
    {
        int refused = 0;
        for (const std::string& damaged : bitFlips(stateDict_, 50))
            expectStateDictRefusedOrIntact(damaged, refused);
        QVERIFY(refused > 25); // most bytes are checked by CRC or structure
    }

    void truncatedTorchScript()
    {
        int refused = 0;
        for (size_t cut : truncationPoints(torchScript_.size()))
            expectTorchScriptRefusedOrIntact(torchScript_.substr(0, cut), refused);
        QCOMPARE(refused, 50);
    }

    void bitFlippedTorchScript()
    {
        int refused = 0;
        for (const std::string& damaged : bitFlips(torchScript_, 50))
            expectTorchScriptRefusedOrIntact(damaged, refused);
        QVERIFY(refused > 25);
    }

    void craftedArchivesAreRefused_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("expected");
        QTest::newRow("huge entry size") << "size" << "runs";
        QTest::newRow("deflate claimed on stored data") << "method" << "does not inflate";
        QTest::newRow("deflated entry inflating to 2 GB") << "bomb" << "zip bomb";
        QTest::newRow("unknown compression method") << "bzip2" << "compression method 12";
        QTest::newRow("entry count") << "count" << "end record";
        QTest::newRow("empty file") << "empty" << "not a zip";
        QTest::newRow("text file") << "text" << "end-of-central-directory";
    }
    void craftedArchivesAreRefused()
    {
        QFETCH(QString, damage);
        QFETCH(QString, expected);
        std::string bytes = stateDict_;
        const size_t entry = firstCentralEntry(bytes);
        QVERIFY(entry > 0);
        const size_t end = bytes.rfind(std::string("PK\x05\x06", 4));
        if (damage == "size") { // claims 4 GB in a file of a few hundred bytes: a zip bomb
            putLittleEndian(bytes, entry + 20, 0xFFFFFFF0u, 4);
            putLittleEndian(bytes, entry + 24, 0xFFFFFFF0u, 4);
        } else if (damage == "method") {
            putLittleEndian(bytes, entry + 10, 8, 2);
        } else if (damage == "bomb") {
            putLittleEndian(bytes, entry + 10, 8, 2);
            putLittleEndian(bytes, entry + 24, 0x7FFFFFFFu, 4);
        } else if (damage == "bzip2") {
            putLittleEndian(bytes, entry + 10, 12, 2);
        } else if (damage == "count") {
            putLittleEndian(bytes, end + 8, 0x7FFF, 2);
            putLittleEndian(bytes, end + 10, 0x7FFF, 2);
        } else if (damage == "empty") {
            bytes.clear();
        } else {
            bytes = std::string(200, 'a');
        }
        try {
            readTensorDict(bytes, "crafted.pt");
            QFAIL("a crafted archive was read");
        } catch (const Error& error) {
            QVERIFY2(std::string(error.what()).find(expected.toStdString()) != std::string::npos, error.what());
        }
    }

    void stateDictIsNotTorchScript()
    {
        QVERIFY_EXCEPTION_THROWN(loadTorchScriptArchive(stateDict_, "weights.pt"), Error);
    }
};

NETDRAFT_TEST(CorruptFilesTest);
#include "CorruptFilesTest.moc"
