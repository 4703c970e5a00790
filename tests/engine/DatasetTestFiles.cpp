#include "tests/engine/DatasetTestFiles.h"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

namespace netdraft::tests {
namespace {

uint32_t crc32(const Bytes& bytes, size_t begin = 0, size_t end = SIZE_MAX)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = begin; i < std::min(end, bytes.size()); ++i) {
        crc ^= bytes[i];
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void appendLittleEndian32(Bytes& bytes, uint32_t value)
{
    for (int shift = 0; shift < 32; shift += 8)
        bytes.push_back(static_cast<uint8_t>(value >> shift));
}

void collect(void* context, void* data, int size)
{
    auto* out = static_cast<Bytes*>(context);
    out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
}

} // namespace

void writeFile(const std::string& path, const Bytes& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out)
        throw std::runtime_error("cannot write " + path);
}

void writeText(const std::string& path, const std::string& text)
{
    writeFile(path, Bytes(text.begin(), text.end()));
}

void appendBigEndian32(Bytes& bytes, uint32_t value)
{
    for (int shift = 24; shift >= 0; shift -= 8)
        bytes.push_back(static_cast<uint8_t>(value >> shift));
}

Bytes idxImages(uint32_t count, uint32_t rows, uint32_t columns, const Bytes& pixels)
{
    Bytes bytes;
    appendBigEndian32(bytes, 0x803);
    appendBigEndian32(bytes, count);
    appendBigEndian32(bytes, rows);
    appendBigEndian32(bytes, columns);
    bytes.insert(bytes.end(), pixels.begin(), pixels.end());
    return bytes;
}

Bytes idxLabels(const Bytes& labels)
{
    Bytes bytes;
    appendBigEndian32(bytes, 0x801);
    appendBigEndian32(bytes, static_cast<uint32_t>(labels.size()));
    bytes.insert(bytes.end(), labels.begin(), labels.end());
    return bytes;
}

Bytes gzip(const Bytes& bytes)
{
    int length = 0;
    unsigned char* zlib
        = stbi_zlib_compress(const_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), &length, 8);
    // A zlib stream is a 2-byte header, raw deflate data and a 4-byte Adler-32; gzip wants the raw part.
    Bytes out { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255 };
    out.insert(out.end(), zlib + 2, zlib + length - 4);
    STBIW_FREE(zlib);
    appendLittleEndian32(out, crc32(bytes));
    appendLittleEndian32(out, static_cast<uint32_t>(bytes.size()));
    return out;
}

Bytes cifarRecords(const std::vector<std::vector<uint8_t>>& labelsPerRecord, const Bytes& pixels)
{
    Bytes bytes;
    for (size_t record = 0; record < labelsPerRecord.size(); ++record) {
        bytes.insert(bytes.end(), labelsPerRecord[record].begin(), labelsPerRecord[record].end());
        bytes.insert(bytes.end(), pixels.begin() + record * 3072, pixels.begin() + (record + 1) * 3072);
    }
    return bytes;
}

Bytes encodePng(const Bytes& pixels, int width, int height, int channels)
{
    Bytes out;
    stbi_write_png_to_func(collect, &out, width, height, channels, pixels.data(), width * channels);
    return out;
}

Bytes encodeBmp(const Bytes& pixels, int width, int height, int channels)
{
    Bytes out;
    stbi_write_bmp_to_func(collect, &out, width, height, channels, pixels.data());
    return out;
}

Bytes encodeJpeg(const Bytes& pixels, int width, int height, int channels)
{
    Bytes out;
    stbi_write_jpg_to_func(collect, &out, width, height, channels, pixels.data(), 95);
    return out;
}

Bytes pngHeaderClaiming(uint32_t width, uint32_t height)
{
    Bytes bytes { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    appendBigEndian32(bytes, 13);
    size_t chunkStart = bytes.size();
    bytes.insert(bytes.end(), { 'I', 'H', 'D', 'R' });
    appendBigEndian32(bytes, width);
    appendBigEndian32(bytes, height);
    bytes.insert(bytes.end(), { 8, 2, 0, 0, 0 }); // 8-bit RGB, no interlace
    appendBigEndian32(bytes, crc32(bytes, chunkStart));
    return bytes;
}

} // namespace netdraft::tests
