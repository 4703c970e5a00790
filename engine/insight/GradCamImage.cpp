#include "engine/insight/GradCamImage.h"

#include "engine/core/Error.h"

#include <algorithm>
#include <cmath>

namespace netdraft::engine {

void jetColour(float value, uint8_t& r, uint8_t& g, uint8_t& b)
{
    const float v = std::clamp(std::isfinite(value) ? value : 0.0f, 0.0f, 1.0f);
    auto channel = [v](float centre) {
        return static_cast<uint8_t>(std::lround(255.0f * std::clamp(1.5f - std::abs(4.0f * v - centre), 0.0f, 1.0f)));
    };
    r = channel(3.0f);
    g = channel(2.0f);
    b = channel(1.0f);
}

RgbImage gradCamHeat(const GradCamMap& map, int scale)
{
    RgbImage image;
    image.width = static_cast<int>(map.width) * scale;
    image.height = static_cast<int>(map.height) * scale;
    image.rgb.resize(static_cast<size_t>(image.width) * image.height * 3);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            uint8_t r, g, b;
            jetColour(map.heat[static_cast<size_t>(y / scale) * map.width + x / scale], r, g, b);
            image.set(x, y, r, g, b);
        }
    return image;
}

RgbImage gradCamOverlay(const GradCamMap& map, const std::vector<int64_t>& sampleShape, int scale)
{
    RgbImage image = sampleRgb(map.sample.sample, sampleShape, scale);
    const RgbImage heat = gradCamHeat(map, scale);
    ND_CHECK(heat.rgb.size() == image.rgb.size(), "the heat map and the sample differ in size");
    for (size_t i = 0; i < image.rgb.size(); ++i)
        image.rgb[i] = static_cast<uint8_t>((image.rgb[i] + heat.rgb[i] + 1) / 2);
    return image;
}

RgbImage gradCamPicture(const GradCamMap& map, const std::vector<int64_t>& sampleShape, int scale)
{
    const RgbImage panels[] = { sampleRgb(map.sample.sample, sampleShape, scale), gradCamHeat(map, scale),
        gradCamOverlay(map, sampleShape, scale) };
    constexpr int kGap = 8;
    constexpr int kStrip = 12;
    const int panelWidth = panels[0].width;
    RgbImage picture;
    picture.width = 3 * panelWidth + 4 * kGap;
    picture.height = panels[0].height + 3 * kGap + kStrip;
    picture.fill(255, 255, 255);
    for (int p = 0; p < 3; ++p)
        for (int y = 0; y < panels[p].height; ++y)
            for (int x = 0; x < panels[p].width; ++x) {
                const uint8_t* pixel = &panels[p].rgb[(static_cast<size_t>(y) * panels[p].width + x) * 3];
                picture.set(kGap + p * (panelWidth + kGap) + x, kGap + y, pixel[0], pixel[1], pixel[2]);
            }
    const int stripTop = panels[0].height + 2 * kGap;
    const int stripWidth = picture.width - 2 * kGap;
    for (int x = 0; x < stripWidth; ++x) {
        uint8_t r, g, b;
        jetColour(static_cast<float>(x) / std::max(1, stripWidth - 1), r, g, b);
        for (int y = 0; y < kStrip; ++y)
            picture.set(kGap + x, stripTop + y, r, g, b);
    }
    return picture;
}

} // namespace netdraft::engine
