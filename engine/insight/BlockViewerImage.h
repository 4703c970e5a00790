#pragma once
// Pictures of what the block viewer and Grad-CAM show, drawn once for the CLI's PNG files and the
// app's windows: feature maps as a grid of grey-scale tiles, a vector as a bar chart, a sample as RGB.

#include "engine/data/DatasetPreview.h"
#include "engine/insight/BlockViewer.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// 8-bit RGB pixels, row by row.
struct RgbImage {
    int width = 0;
    int height = 0;
    std::vector<uint8_t> rgb; ///< width × height × 3

    bool empty() const { return width == 0 || height == 0; }
    void fill(uint8_t r, uint8_t g, uint8_t b);
    void set(int x, int y, uint8_t r, uint8_t g, uint8_t b);
};

/// How a grid of feature maps is laid out: columns near √C (a little wider than high), each map enlarged
/// by a whole factor so that its longer side reaches at least `minimumTile` pixels, 2-pixel gaps.
struct FeatureMapLayout {
    int columns = 0;
    int rows = 0;
    int scale = 1; ///< pixels per value
    int tileWidth = 0;
    int tileHeight = 0;
    static constexpr int kGap = 2;
    /// Where map `index` starts.
    int left(int index) const { return kGap + (index % columns) * (tileWidth + kGap); }
    int top(int index) const { return kGap + (index / columns) * (tileHeight + kGap); }
};
FeatureMapLayout featureMapLayout(int64_t maps, int64_t height, int64_t width, int minimumTile = 48);

/// Each C×H×W map as a grey tile, each scaled from its own minimum (black) to its maximum (white); a
/// constant map is black. Tiles on a mid-grey background.
RgbImage featureMapGrid(const BlockOutput& output, int minimumTile = 48);
/// A vector (or a sequence's flattened values, at most `maxBars`) as bars up and down from a zero line,
/// positive blue, negative red, on white.
RgbImage barChart(const BlockOutput& output, int width = 640, int height = 240, size_t maxBars = 512);
/// featureMapGrid for C×H×W outputs, else barChart.
RgbImage blockOutputImage(const BlockOutput& output);

/// A C×H×W (C = 1 or 3) image sample, each pixel enlarged `scale` times.
RgbImage sampleRgb(const PreviewSample& sample, const std::vector<int64_t>& shape, int scale = 1);

/// Writes `image` as a PNG file; throws Error naming the file when it cannot.
void writePng(const RgbImage& image, const std::string& path);

} // namespace netdraft::engine
