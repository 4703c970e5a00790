#include "engine/insight/BlockViewerImage.h"

#include "engine/core/Error.h"

#include <algorithm>
#include <cmath>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

namespace netdraft::engine {

void RgbImage::fill(uint8_t r, uint8_t g, uint8_t b)
{
    rgb.resize(static_cast<size_t>(width) * height * 3);
    for (size_t i = 0; i < rgb.size(); i += 3) {
        rgb[i] = r;
        rgb[i + 1] = g;
        rgb[i + 2] = b;
    }
}

void RgbImage::set(int x, int y, uint8_t r, uint8_t g, uint8_t b)
{
    if (x < 0 || y < 0 || x >= width || y >= height)
        return;
    uint8_t* pixel = &rgb[(static_cast<size_t>(y) * width + x) * 3];
    pixel[0] = r;
    pixel[1] = g;
    pixel[2] = b;
}

FeatureMapLayout featureMapLayout(int64_t maps, int64_t height, int64_t width, int minimumTile)
{
    FeatureMapLayout layout;
    layout.columns = std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(maps) * 1.5))));
    layout.columns = static_cast<int>(std::min<int64_t>(layout.columns, std::max<int64_t>(maps, 1)));
    layout.rows = static_cast<int>((maps + layout.columns - 1) / layout.columns);
    const int64_t longer = std::max<int64_t>(1, std::max(height, width));
    layout.scale = static_cast<int>(std::max<int64_t>(1, (minimumTile + longer - 1) / longer));
    layout.tileWidth = static_cast<int>(width) * layout.scale;
    layout.tileHeight = static_cast<int>(height) * layout.scale;
    return layout;
}

RgbImage featureMapGrid(const BlockOutput& output, int minimumTile)
{
    ND_CHECK(output.featureMaps(), "feature maps are C×H×W; block ", output.label, " gives ", output.shapeText());
    const int64_t maps = output.shape[0];
    const int64_t height = output.shape[1];
    const int64_t width = output.shape[2];
    const FeatureMapLayout layout = featureMapLayout(maps, height, width, minimumTile);
    RgbImage image;
    image.width = FeatureMapLayout::kGap + layout.columns * (layout.tileWidth + FeatureMapLayout::kGap);
    image.height = FeatureMapLayout::kGap + layout.rows * (layout.tileHeight + FeatureMapLayout::kGap);
    image.fill(128, 128, 128);
    const size_t plane = static_cast<size_t>(height * width);
    for (int64_t map = 0; map < maps; ++map) {
        const float* values = output.values.data() + map * plane;
        const auto [low, high] = std::minmax_element(values, values + plane);
        const float range = *high - *low;
        for (int64_t y = 0; y < height; ++y)
            for (int64_t x = 0; x < width; ++x) {
                const float value = values[y * width + x];
                const auto grey = static_cast<uint8_t>(
                    range > 0 && std::isfinite(range) ? std::lround((value - *low) / range * 255.0f) : 0);
                for (int dy = 0; dy < layout.scale; ++dy)
                    for (int dx = 0; dx < layout.scale; ++dx)
                        image.set(layout.left(int(map)) + int(x) * layout.scale + dx,
                            layout.top(int(map)) + int(y) * layout.scale + dy, grey, grey, grey);
            }
    }
    return image;
}

RgbImage barChart(const BlockOutput& output, int width, int height, size_t maxBars)
{
    RgbImage image;
    image.width = width;
    image.height = height;
    image.fill(255, 255, 255);
    const size_t bars = std::min(output.values.size(), maxBars);
    if (bars == 0)
        return image;
    float largest = 0;
    for (size_t i = 0; i < bars; ++i)
        if (std::isfinite(output.values[i]))
            largest = std::max(largest, std::abs(output.values[i]));
    const int zero = height / 2;
    for (int x = 0; x < width; ++x)
        image.set(x, zero, 160, 160, 160);
    const double step = static_cast<double>(width) / bars;
    for (size_t i = 0; i < bars; ++i) {
        const float value = std::isfinite(output.values[i]) ? output.values[i] : 0.0f;
        const int extent = largest > 0 ? static_cast<int>(std::lround(value / largest * (height / 2 - 4))) : 0;
        const int left = static_cast<int>(i * step);
        const int right = std::max(left + 1, static_cast<int>((i + 1) * step) - (step >= 4 ? 1 : 0));
        const bool positive = extent >= 0;
        for (int x = left; x < right; ++x)
            for (int y = std::min(zero, zero - extent); y <= std::max(zero, zero - extent); ++y)
                positive ? image.set(x, y, 40, 100, 200) : image.set(x, y, 200, 60, 50);
    }
    return image;
}

RgbImage blockOutputImage(const BlockOutput& output)
{
    return output.featureMaps() ? featureMapGrid(output) : barChart(output);
}

RgbImage sampleRgb(const PreviewSample& sample, const std::vector<int64_t>& shape, int scale)
{
    ND_CHECK(shape.size() == 3 && (shape[0] == 1 || shape[0] == 3), "an image sample is 1×H×W or 3×H×W");
    const int64_t channels = shape[0];
    const int64_t height = shape[1];
    const int64_t width = shape[2];
    const size_t plane = static_cast<size_t>(height * width);
    ND_CHECK(sample.pixels.size() >= plane * channels, "the sample holds no image");
    RgbImage image;
    image.width = static_cast<int>(width) * scale;
    image.height = static_cast<int>(height) * scale;
    image.rgb.resize(static_cast<size_t>(image.width) * image.height * 3);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const size_t at = static_cast<size_t>(y / scale) * width + x / scale;
            const uint8_t r = sample.pixels[at];
            image.set(x, y, r, channels == 3 ? sample.pixels[plane + at] : r,
                channels == 3 ? sample.pixels[2 * plane + at] : r);
        }
    return image;
}

void writePng(const RgbImage& image, const std::string& path)
{
    ND_CHECK(!image.empty(), path, ": no picture to write");
    ND_CHECK(stbi_write_png(path.c_str(), image.width, image.height, 3, image.rgb.data(), image.width * 3) != 0, path,
        ": cannot write the PNG file");
}

} // namespace netdraft::engine
