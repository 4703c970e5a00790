// The one translation unit that compiles stb_image; its functions stay private to this file.

#include "engine/data/ImageDecoder.h"

#include "engine/core/Error.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <cmath>
#include <memory>

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_NO_STDIO
// stb's own dimension limit stays at its default (2^24) so that our check below reports the size.
#include <stb/stb_image.h>

namespace netdraft::engine {

namespace {

/// Width and height from a PNG's IHDR chunk, read directly: stb refuses huge PNG headers with a
/// generic "unknown image type", and the user should hear the size instead.
bool pngHeaderSize(const std::vector<uint8_t>& bytes, int64_t& width, int64_t& height)
{
    static const uint8_t signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    if (bytes.size() < 24 || !std::equal(std::begin(signature), std::end(signature), bytes.begin())
        || std::string(bytes.begin() + 12, bytes.begin() + 16) != "IHDR")
        return false;
    auto bigEndian = [&](size_t at) {
        return (int64_t(bytes[at]) << 24) | (int64_t(bytes[at + 1]) << 16) | (int64_t(bytes[at + 2]) << 8) | bytes[at + 3];
    };
    width = bigEndian(16);
    height = bigEndian(20);
    return true;
}

void checkClaimedSize(const std::string& path, int64_t width, int64_t height)
{
    ND_CHECK(width > 0 && height > 0 && width <= kMaxImageSide && height <= kMaxImageSide
            && width * height <= kMaxImagePixels,
        path, ": image header claims ", width, "×", height, " pixels, over the limit of ", kMaxImageSide,
        " per side and ", kMaxImagePixels, " in total");
}

/// stb_image as packaged by Debian (2.27) trusts the code counts of a JPEG Huffman table (DHT
/// segment): counts adding up to more than 256 write past its tables (found by FuzzImageDecoder,
/// tests/corpus/image/crash-jpeg-dht-*.jpg). Checks every DHT segment, the way stb reads it
/// (zeros past the end of the data), before stb sees the file.
void checkJpegHuffmanTables(const std::vector<uint8_t>& bytes, const std::string& path)
{
    // Like stb: any number of 0xFF fill bytes, then SOI.
    size_t at = 0;
    while (at < bytes.size() && bytes[at] == 0xFF)
        ++at;
    if (at == 0 || at >= bytes.size() || bytes[at] != 0xD8)
        return;
    ++at;
    auto byteAt = [&](size_t offset) -> size_t { return offset < bytes.size() ? bytes[offset] : 0; };
    while (at + 1 < bytes.size()) {
        if (bytes[at] != 0xFF) { // entropy-coded data between markers
            ++at;
            continue;
        }
        const uint8_t marker = bytes[at + 1];
        if (marker == 0xFF) { // fill byte
            ++at;
            continue;
        }
        // Stuffed zero, restart markers, TEM and SOI carry no length.
        if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7)) {
            at += 2;
            continue;
        }
        if (marker == 0xD9)
            return;
        const size_t length = (byteAt(at + 2) << 8) | byteAt(at + 3);
        if (marker == 0xC4) {
            const size_t end = at + 2 + length;
            for (size_t table = at + 4; table < end;) {
                size_t codes = 0;
                for (size_t i = 0; i < 16; ++i)
                    codes += byteAt(table + 1 + i);
                ND_CHECK(codes <= 256, path, ": JPEG Huffman table at byte ", table, " declares ", codes,
                    " codes; at most 256 are possible");
                table += 17 + codes;
            }
        }
        at += 2 + length;
    }
}

} // namespace

void decodeImageInto(const std::vector<uint8_t>& bytes, const std::string& path, int channels, int64_t height,
    int64_t width, uint8_t* out)
{
    ND_CHECK(channels == 1 || channels == 3, path, ": images decode to 1 or 3 channels, not ", channels);
    ND_CHECK(bytes.size() <= static_cast<size_t>(INT32_MAX), path, ": file too large for an image");
    const auto* data = bytes.data();
    const int length = static_cast<int>(bytes.size());
    int imageWidth = 0, imageHeight = 0, fileChannels = 0;
    // Read only the header first: a corrupt or hostile file must not make us allocate its claim.
    int64_t pngWidth = 0, pngHeight = 0;
    if (pngHeaderSize(bytes, pngWidth, pngHeight))
        checkClaimedSize(path, pngWidth, pngHeight);
    checkJpegHuffmanTables(bytes, path);
    ND_CHECK(stbi_info_from_memory(data, length, &imageWidth, &imageHeight, &fileChannels), path,
        ": not a readable PNG, JPEG or BMP image (", stbi_failure_reason(), ")");
    checkClaimedSize(path, imageWidth, imageHeight);
    int decodedWidth = 0, decodedHeight = 0, ignored = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(data, length, &decodedWidth, &decodedHeight, &ignored, channels), stbi_image_free);
    ND_CHECK(pixels != nullptr, path, ": cannot decode the ", imageWidth, "×", imageHeight, " image (",
        stbi_failure_reason(), ")");
    resizeBilinear(pixels.get(), decodedHeight, decodedWidth, channels, height, width, out);
}

void resizeBilinear(const uint8_t* source, int64_t sourceHeight, int64_t sourceWidth, int channels, int64_t height,
    int64_t width, uint8_t* out)
{
    const double scaleY = double(sourceHeight) / double(height), scaleX = double(sourceWidth) / double(width);
    for (int64_t y = 0; y < height; ++y) {
        double sy = std::clamp((y + 0.5) * scaleY - 0.5, 0.0, double(sourceHeight - 1));
        int64_t y0 = static_cast<int64_t>(sy), y1 = std::min(y0 + 1, sourceHeight - 1);
        double fy = sy - double(y0);
        for (int64_t x = 0; x < width; ++x) {
            double sx = std::clamp((x + 0.5) * scaleX - 0.5, 0.0, double(sourceWidth - 1));
            int64_t x0 = static_cast<int64_t>(sx), x1 = std::min(x0 + 1, sourceWidth - 1);
            double fx = sx - double(x0);
            for (int c = 0; c < channels; ++c) {
                auto at = [&](int64_t row, int64_t column) {
                    return double(source[(row * sourceWidth + column) * channels + c]);
                };
                double top = at(y0, x0) + fx * (at(y0, x1) - at(y0, x0));
                double bottom = at(y1, x0) + fx * (at(y1, x1) - at(y1, x0));
                out[(c * height + y) * width + x] = static_cast<uint8_t>(std::lround(top + fy * (bottom - top)));
            }
        }
    }
}

} // namespace netdraft::engine
