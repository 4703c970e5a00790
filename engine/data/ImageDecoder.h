#pragma once
// PNG, JPEG and BMP decoding (stb_image) with a size limit checked before decoding, and the
// bilinear resize that fits images to the Input block's height×width.

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Largest accepted image side and pixel count: a header claiming more is refused before decoding.
constexpr int64_t kMaxImageSide = 16384;
constexpr int64_t kMaxImagePixels = int64_t(64) << 20;

/// Decodes `bytes` (read from `path`, named in errors) to `channels` (1 grey, 3 RGB) and writes it
/// resized to height×width, channels first, into `out` (channels×height×width bytes).
void decodeImageInto(const std::vector<uint8_t>& bytes, const std::string& path, int channels, int64_t height,
    int64_t width, uint8_t* out);

/// Bilinear resize (pixel centres aligned, like align_corners=false) of an interleaved
/// sourceHeight×sourceWidth×channels image into a channels-first height×width image.
void resizeBilinear(const uint8_t* source, int64_t sourceHeight, int64_t sourceWidth, int channels, int64_t height,
    int64_t width, uint8_t* out);

} // namespace netdraft::engine
