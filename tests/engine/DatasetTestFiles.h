#pragma once
// Small dataset files written by the tests themselves: IDX, gzip, CIFAR records, PNG, BMP, JPEG.

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::tests {

using Bytes = std::vector<uint8_t>;

void writeFile(const std::string& path, const Bytes& bytes);
void writeText(const std::string& path, const std::string& text);

void appendBigEndian32(Bytes& bytes, uint32_t value);

/// IDX image file: magic 0x803, count, rows, columns, then `pixels` (count × rows × columns bytes).
Bytes idxImages(uint32_t count, uint32_t rows, uint32_t columns, const Bytes& pixels);
/// IDX label file: magic 0x801, count, labels.
Bytes idxLabels(const Bytes& labels);

/// `bytes` as a gzip file (real deflate via stb_image_write, gzip wrapper and CRC-32 written here).
Bytes gzip(const Bytes& bytes);

/// CIFAR records: per record the label bytes (one, or coarse + fine) then 3072 pixel bytes.
Bytes cifarRecords(const std::vector<std::vector<uint8_t>>& labelsPerRecord, const Bytes& pixels);

/// Encoded images of width×height with `channels` interleaved channels.
Bytes encodePng(const Bytes& pixels, int width, int height, int channels);
Bytes encodeBmp(const Bytes& pixels, int width, int height, int channels);
Bytes encodeJpeg(const Bytes& pixels, int width, int height, int channels);

/// A PNG signature and IHDR chunk claiming width×height RGB pixels, with no image data.
Bytes pngHeaderClaiming(uint32_t width, uint32_t height);

} // namespace netdraft::tests
