// The image folder reader: PNG, BMP and JPEG files written here decode, resize bilinearly as
// LibTorch's interpolate does, and hostile or broken files are refused by name before decoding.

#include <torch/torch.h>

#include "tests/engine/DatasetTestFiles.h"
#include "tests/engine/DatasetTestSupport.h"
#include "tests/support/TestRegistry.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace netdraft::engine;
using namespace netdraft::tests;

namespace {

Bytes uniform(int width, int height, std::vector<uint8_t> colour)
{
    Bytes pixels;
    for (int i = 0; i < width * height; ++i)
        pixels.insert(pixels.end(), colour.begin(), colour.end());
    return pixels;
}

Bytes gradient(int width, int height, int channels)
{
    Bytes pixels;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < channels; ++c)
                pixels.push_back(static_cast<uint8_t>((x * 37 + y * 23 + c * 71) % 256));
    return pixels;
}

/// A hand-written 24-bit BMP header claiming width×height with no pixel data.
Bytes bmpHeaderClaiming(uint32_t width, uint32_t height)
{
    Bytes bytes { 'B', 'M' };
    auto put32 = [&](uint32_t value) {
        for (int shift = 0; shift < 32; shift += 8)
            bytes.push_back(static_cast<uint8_t>(value >> shift));
    };
    put32(54);
    put32(0);
    put32(54);
    put32(40);
    put32(width);
    put32(height);
    bytes.insert(bytes.end(), { 1, 0, 24, 0 });
    for (int i = 0; i < 6; ++i)
        put32(0);
    return bytes;
}

} // namespace

class ImageFolderReaderTest : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> dir_;
    std::string path(const std::string& name) const
    {
        return dir_->filePath(QString::fromStdString(name)).toStdString();
    }
    std::string root() const { return dir_->path().toStdString(); }

private Q_SLOTS:
    void init()
    {
        dir_ = std::make_unique<QTemporaryDir>();
        std::filesystem::create_directory(path("cat"));
        std::filesystem::create_directory(path("dog"));
    }

    void decodesAndResizes()
    {
        writeFile(path("cat/a.png"), encodePng(uniform(8, 8, { 200, 10, 30 }), 8, 8, 3));
        const Bytes bmpPixels = gradient(5, 7, 3);
        writeFile(path("cat/b.bmp"), encodeBmp(bmpPixels, 5, 7, 3));
        writeFile(path("dog/c.JPG"), encodeJpeg(uniform(16, 16, { 40, 120, 220 }), 16, 16, 3));
        writeFile(path("dog/d.png"), encodePng(gradient(4, 4, 1), 4, 4, 1));
        writeFile(path("dog/notes.txt"), Bytes { 'h', 'i' }); // not an image: ignored
        PreparedData data = loadUnsplit("image_folder", root(), { { 3, 4, 4 }, 2, true });
        QCOMPARE(data.train.classNames, (std::vector<std::string> { "cat", "dog" }));
        QVERIFY(torch::equal(data.train.targets, torch::tensor({ 0, 0, 1, 1 }, torch::kInt64)));
        QCOMPARE(data.train.inputs.sizes().vec(), (std::vector<int64_t> { 4, 3, 4, 4 }));
        torch::Tensor images = data.train.inputs.to(torch::kInt64);
        // A uniform PNG stays exactly its colour.
        QVERIFY(torch::equal(
            images[0], torch::tensor({ 200, 10, 30 }, torch::kInt64).view({ 3, 1, 1 }).expand({ 3, 4, 4 })));
        // The BMP's resize equals LibTorch's bilinear interpolation (align_corners=false), rounded.
        torch::Tensor source = torch::tensor(std::vector<int64_t>(bmpPixels.begin(), bmpPixels.end()))
                                   .view({ 7, 5, 3 })
                                   .permute({ 2, 0, 1 })
                                   .unsqueeze(0)
                                   .to(torch::kFloat64);
        namespace F = torch::nn::functional;
        torch::Tensor reference = F::interpolate(source,
            F::InterpolateFuncOptions()
                .size(std::vector<int64_t> { 4, 4 })
                .mode(torch::kBilinear)
                .align_corners(false));
        QVERIFY((images[1].to(torch::kFloat64) - reference[0]).abs().max().item<double>() <= 0.5 + 1e-9);
        // JPEG is lossy: close to its colour.
        torch::Tensor blue = torch::tensor({ 40, 120, 220 }, torch::kInt64).view({ 3, 1, 1 });
        QVERIFY((images[2] - blue).abs().max().item<int64_t>() <= 4);
        // A grey PNG is replicated into the three channels.
        QVERIFY(torch::equal(images[3][0], images[3][1]) && torch::equal(images[3][1], images[3][2]));
    }

    void greyInputGetsOneChannel()
    {
        const Bytes grey = gradient(6, 6, 1);
        writeFile(path("cat/a.png"), encodePng(grey, 6, 6, 1));
        writeFile(path("dog/b.bmp"), encodeBmp(uniform(3, 3, { 90, 90, 90 }), 3, 3, 3));
        PreparedData data = loadUnsplit("image_folder", root(), { { 1, 6, 6 }, 2, true });
        QCOMPARE(data.train.inputs.sizes().vec(), (std::vector<int64_t> { 2, 1, 6, 6 }));
        torch::Tensor expected = torch::tensor(std::vector<int64_t>(grey.begin(), grey.end())).view({ 1, 6, 6 });
        QVERIFY(torch::equal(data.train.inputs[0].to(torch::kInt64), expected));
        QVERIFY(torch::equal(data.train.inputs[1], torch::full({ 1, 6, 6 }, 90, torch::kUInt8)));
    }

    void refusesBrokenFolders_data()
    {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("message");
        QTest::newRow("garbage") << "garbage"
                                 << "dog/x.png: not a readable PNG, JPEG or BMP image";
        QTest::newRow("huge png") << "huge png"
                                  << "dog/x.png: image header claims 65535×65535 pixels, over the limit";
        QTest::newRow("huge bmp") << "huge bmp"
                                  << "dog/x.bmp: image header claims 65535×65535 pixels";
        QTest::newRow("truncated png") << "truncated png"
                                       << "dog/x.png: cannot decode the 16×16 image";
        QTest::newRow("empty class") << "empty class"
                                     << "class folder 'dog' holds no .png, .jpg, .jpeg or .bmp";
        QTest::newRow("one class") << "one class"
                                   << "needs at least 2 class subfolders, found 1";
        QTest::newRow("not C×H×W") << "flat input"
                                   << "Input block's shape must be C×H×W with C = 1 (grey) or 3";
        QTest::newRow("no folder") << "no folder"
                                   << "no such folder";
    }

    void refusesBrokenFolders()
    {
        QFETCH(QString, setup);
        QFETCH(QString, message);
        writeFile(path("cat/ok.png"), encodePng(uniform(4, 4, { 1, 2, 3 }), 4, 4, 3));
        std::string folder = root();
        ExpectedData expected { { 3, 8, 8 }, 2, true };
        if (setup == "garbage")
            writeFile(path("dog/x.png"), Bytes { 'h', 'e', 'l', 'l', 'o' });
        else if (setup == "huge png")
            writeFile(path("dog/x.png"), pngHeaderClaiming(65535, 65535));
        else if (setup == "huge bmp")
            writeFile(path("dog/x.bmp"), bmpHeaderClaiming(65535, 65535));
        else if (setup == "truncated png") {
            Bytes png = encodePng(gradient(16, 16, 3), 16, 16, 3);
            png.resize(png.size() / 2);
            writeFile(path("dog/x.png"), png);
        } else if (setup == "one class")
            std::filesystem::remove(path("dog"));
        else if (setup == "flat input") {
            writeFile(path("dog/x.png"), encodePng(uniform(4, 4, { 1, 2, 3 }), 4, 4, 3));
            expected.inputShape = { 64 };
        } else if (setup == "no folder")
            folder = path("missing");
        QString error = errorMessage([&] { loadUnsplit("image_folder", folder, expected); });
        QVERIFY2(error.contains(message), qPrintable(error));
    }
};

NETDRAFT_TEST(ImageFolderReaderTest);
#include "ImageFolderReaderTest.moc"
