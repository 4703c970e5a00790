// Dataset kind detection (engine/data/DatasetDetection.h): each kind on disk recognises its own
// files, written here in the layouts the readers accept; the detected kind then loads them; a path
// no kind recognises is an error that lists what the kinds read.

#include "engine/data/DatasetDetection.h"
#include "engine/data/DatasetRegistry.h"
#include "tests/engine/DatasetTestFiles.h"
#include "tests/engine/DatasetTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace netdraft::engine;
using namespace netdraft::tests;

namespace {

// Written by hand, not read from the registry, so that a kind that stops (or starts) reading files
// fails here.
const std::vector<std::string> kGeneratedKinds { "shapes", "shapes_autoencoder", "spirals", "moons", "sequences", "grammar_text" };
const std::vector<std::string> kKindsOnDisk { "mnist", "fashion_mnist", "cifar10", "cifar100", "image_folder", "csv", "text" };

const char* const kExpected = "MNIST IDX files (train-images-idx3-ubyte …), CIFAR-10 binary batches "
                              "(data_batch_1.bin …), CIFAR-100 binary batches (train.bin …), a folder of "
                              "class folders, a .csv file, or a UTF-8 .txt file";

Bytes pixels(size_t count)
{
    Bytes bytes(count);
    for (size_t i = 0; i < count; ++i)
        bytes[i] = static_cast<uint8_t>(i * 7);
    return bytes;
}

} // namespace

class DatasetDetectionTest : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> dir_;

    std::string path(const std::string& relative) const
    {
        return dir_->filePath(QString::fromStdString(relative)).toStdString();
    }
    void put(const std::string& relative, const Bytes& bytes) const
    {
        std::filesystem::create_directories(std::filesystem::path(path(relative)).parent_path());
        writeFile(path(relative), bytes);
    }

    /// Writes the files of `layout` under the temporary folder; returns the path to detect (relative)
    /// and how many training samples it holds.
    std::pair<std::string, int64_t> writeLayout(const QString& layout) const
    {
        const Bytes mnistImages = idxImages(3, 28, 28, pixels(3 * 28 * 28)), mnistLabels = idxLabels({ 1, 2, 3 });
        if (layout == "mnist dashed") {
            put("m/train-images-idx3-ubyte", mnistImages);
            put("m/train-labels-idx1-ubyte", mnistLabels);
        } else if (layout == "mnist dotted gzip") {
            put("m/train-images.idx3-ubyte.gz", gzip(mnistImages));
            put("m/train-labels.idx1-ubyte.gz", gzip(mnistLabels));
        } else if (layout == "mnist without labels") {
            put("m/train-images-idx3-ubyte", mnistImages);
        } else if (layout == "cifar10 folder") {
            put("c/data_batch_1.bin", cifarRecords({ { 0 }, { 1 } }, pixels(2 * 3072)));
        } else if (layout == "cifar10 archive folder") {
            put("c/cifar-10-batches-bin/data_batch_1.bin.gz", gzip(cifarRecords({ { 4 } }, pixels(3072))));
            return { "c", 1 };
        } else if (layout == "cifar100 folder") {
            put("c/cifar-100-binary/train.bin", cifarRecords({ { 1, 2 }, { 3, 4 }, { 5, 6 } }, pixels(3 * 3072)));
            return { "c", 3 };
        } else if (layout == "image folder") {
            put("i/cat/a.png", encodePng(pixels(4 * 4 * 3), 4, 4, 3));
            put("i/dog/b.JPG", encodeJpeg(pixels(4 * 4 * 3), 4, 4, 3));
            put("i/dog/c.bmp", encodeBmp(pixels(4 * 4 * 3), 4, 4, 3));
            return { "i", 3 };
        } else if (layout == "class folders without images") {
            put("i/cat/notes.txt", Bytes { 'h', 'i' });
            put("i/dog/more.txt", Bytes { 'h', 'i' });
            return { "i", 0 };
        } else if (layout == "csv") {
            writeText(path("table.csv"), "x,y,target\n1,2,0\n3,4,1\n");
            return { "table.csv", 2 };
        } else if (layout == "csv upper case gzip") {
            const std::string text = "x,target\n1,0\n2,1\n3,1\n4,0\n";
            writeFile(path("TABLE.CSV.GZ"), gzip(Bytes(text.begin(), text.end())));
            return { "TABLE.CSV.GZ", 4 };
        } else if (layout == "unknown file") {
            writeText(path("table.dat"), "x,target\n1,0\n");
            return { "table.dat", 0 };
        } else if (layout == "empty folder") {
            std::filesystem::create_directories(path("e"));
            return { "e", 0 };
        } else if (layout == "missing") {
            return { "missing", 0 };
        } else {
            throw std::runtime_error("unknown layout " + layout.toStdString());
        }
        return { layout.startsWith("mnist") ? "m" : "c", layout.startsWith("mnist") ? 3 : 2 };
    }

    static ExpectedData expectedFor(const std::string& kind)
    {
        if (kind == "mnist" || kind == "fashion_mnist")
            return { { 1, 28, 28 }, 10, true };
        if (kind == "cifar100")
            return { { 3, 32, 32 }, 100, true };
        if (kind == "csv")
            return { {}, 2, true };
        if (kind == "image_folder")
            return { { 3, 32, 32 }, 2, true };
        return { { 3, 32, 32 }, 10, true };
    }

private Q_SLOTS:
    void init() { dir_ = std::make_unique<QTemporaryDir>(); }

    void eachKindRecognisesItsFiles_data()
    {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("preferred");
        QTest::addColumn<QString>("kind");
        QTest::newRow("IDX files") << "mnist dashed"
                                   << ""
                                   << "mnist";
        QTest::newRow("IDX files, dotted names, gzip") << "mnist dotted gzip"
                                                       << "shapes"
                                                       << "mnist";
        // MNIST and Fashion-MNIST files look alike: a Fashion-MNIST project keeps its kind.
        QTest::newRow("IDX files in a Fashion-MNIST project") << "mnist dashed"
                                                              << "fashion_mnist"
                                                              << "fashion_mnist";
        QTest::newRow("CIFAR-10 batches") << "cifar10 folder"
                                          << "shapes"
                                          << "cifar10";
        QTest::newRow("CIFAR-10 archive folder, gzip") << "cifar10 archive folder"
                                                       << ""
                                                       << "cifar10";
        // A preferred kind that does not recognise the files does not win.
        QTest::newRow("CIFAR-100 archive folder in a CIFAR-10 project") << "cifar100 folder"
                                                                        << "cifar10"
                                                                        << "cifar100";
        QTest::newRow("class folders") << "image folder"
                                       << "csv"
                                       << "image_folder";
        QTest::newRow("CSV file") << "csv"
                                  << ""
                                  << "csv";
        QTest::newRow("CSV file, upper case, gzip") << "csv upper case gzip"
                                                    << ""
                                                    << "csv";
    }

    void eachKindRecognisesItsFiles()
    {
        QFETCH(QString, layout);
        QFETCH(QString, preferred);
        QFETCH(QString, kind);
        const auto written = writeLayout(layout);
        const std::string relative = written.first;
        const int64_t samples = written.second;
        const std::string detected = detectDatasetKind(path(relative), preferred.toStdString());
        QCOMPARE(QString::fromStdString(detected), kind);
        QVERIFY(datasetKindReadsFiles(detected));
        // The detected kind reads what it recognised.
        int64_t loaded = -1;
        QCOMPARE(
            errorMessage([&] { loaded = loadUnsplit(detected, path(relative), expectedFor(detected)).train.size(); }),
            QStringLiteral("no error"));
        QCOMPARE(loaded, samples);
    }

    void onlyTheMatchingKindsRecognise()
    {
        writeLayout("mnist dashed");
        QCOMPARE(datasetKindsRecognising(path("m")), (std::vector<std::string> { "mnist", "fashion_mnist" }));
        writeLayout("cifar10 folder");
        QCOMPARE(datasetKindsRecognising(path("c")), (std::vector<std::string> { "cifar10" }));
        // A file inside the folder is not the folder.
        QCOMPARE(datasetKindsRecognising(path("c/data_batch_1.bin")), std::vector<std::string> {});
    }

    void unrecognisedPathsSayWhatWasExpected_data()
    {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty folder") << "empty folder"
                                      << ": no dataset kind recognises it; expected ";
        QTest::newRow("unknown file") << "unknown file"
                                   << ": no dataset kind recognises it; expected ";
        QTest::newRow("IDX images without labels") << "mnist without labels"
                                                   << ": no dataset kind recognises it; expected ";
        QTest::newRow("class folders without images") << "class folders without images"
                                                      << ": no dataset kind recognises it; expected ";
        QTest::newRow("missing") << "missing"
                                 << ": no such file or folder; expected ";
    }

    void unrecognisedPathsSayWhatWasExpected()
    {
        QFETCH(QString, layout);
        QFETCH(QString, message);
        const std::string relative = writeLayout(layout).first;
        QCOMPARE(errorMessage([&] { detectDatasetKind(path(relative), "shapes"); }),
            QString::fromStdString(path(relative)) + message + QString::fromUtf8(kExpected));
    }

    void expectedFilesListEachFormatOnce()
    {
        QCOMPARE(QString::fromStdString(expectedDatasetFiles()), QString::fromUtf8(kExpected));
    }

    void generatedKindsReadNoFiles()
    {
        for (const std::string& kind : kGeneratedKinds)
            QVERIFY2(!datasetKindReadsFiles(kind), kind.c_str());
        for (const std::string& kind : kKindsOnDisk)
            QVERIFY2(datasetKindReadsFiles(kind), kind.c_str());
        QVERIFY(!datasetKindReadsFiles("no_such_kind"));
        // Every registered kind is one or the other: a new kind gets a row here.
        for (const std::string& kind : DatasetSpec::kinds()) {
            const bool listed = std::count(kGeneratedKinds.begin(), kGeneratedKinds.end(), kind)
                + std::count(kKindsOnDisk.begin(), kKindsOnDisk.end(), kind);
            QVERIFY2(listed, kind.c_str());
        }
        QCOMPARE(DatasetSpec::kinds().size(), kGeneratedKinds.size() + kKindsOnDisk.size());
    }
};

NETDRAFT_TEST(DatasetDetectionTest);
#include "DatasetDetectionTest.moc"
