#pragma once
// A tiny RGB rasteriser for the generated image datasets: shapes are given as signed distance
// functions (negative inside, in pixels), so edges come out anti-aliased without a polygon filler.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace netdraft::engine {

struct Colour {
    float red = 0, green = 0, blue = 0;
};

/// Distances of basic figures centred at the origin; compose them with std::min (union).
namespace distance {
/// Euclidean length; std::hypot guards against overflow we cannot have here and is much slower.
inline float length(float x, float y)
{
    return std::sqrt(x * x + y * y);
}
inline float circle(float x, float y, float radius)
{
    return length(x, y) - radius;
}
inline float box(float x, float y, float halfWidth, float halfHeight)
{
    float dx = std::abs(x) - halfWidth, dy = std::abs(y) - halfHeight;
    float outside = length(std::max(dx, 0.0f), std::max(dy, 0.0f));
    return outside + std::min(std::max(dx, dy), 0.0f);
}
/// Distance to the segment (ax, ay)-(bx, by), minus half its thickness.
inline float stroke(float x, float y, float ax, float ay, float bx, float by, float halfThickness)
{
    float px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
    float t = std::clamp((px * dx + py * dy) / (dx * dx + dy * dy), 0.0f, 1.0f);
    return length(px - t * dx, py - t * dy) - halfThickness;
}
/// Equilateral triangle pointing up, centred on its centroid, with circumradius `radius` (after
/// Inigo Quilez).
inline float triangle(float x, float y, float radius)
{
    const float k = std::sqrt(3.0f);
    float side = radius * k / 2.0f;
    y = -y; // image y grows downwards
    x = std::abs(x) - side;
    y = y + side / k;
    if (x + k * y > 0.0f) {
        float nx = (x - k * y) / 2.0f, ny = (-k * x - y) / 2.0f;
        x = nx;
        y = ny;
    }
    x -= std::clamp(x, -2.0f * side, 0.0f);
    return -length(x, y) * (y < 0.0f ? -1.0f : 1.0f);
}
} // namespace distance

/// Width×height RGB pixels in [0, 1].
class Canvas {
public:
    Canvas(int width, int height)
        : width_(width)
        , height_(height)
        , pixels_(3 * width * height)
    {
    }

    int width() const { return width_; }
    int height() const { return height_; }

    void fill(Colour colour)
    {
        for (int i = 0; i < width_ * height_; ++i)
            set(i, colour, 1.0f);
    }

    /// Paints `colour` where `distanceAt(x, y)` (pixel centres at +0.5) is negative, blending the
    /// one-pixel band around the edge.
    template <typename DistanceFunction> void paint(const DistanceFunction& distanceAt, Colour colour)
    {
        for (int y = 0; y < height_; ++y)
            for (int x = 0; x < width_; ++x) {
                float coverage = std::clamp(0.5f - distanceAt(x + 0.5f, y + 0.5f), 0.0f, 1.0f);
                if (coverage > 0.0f)
                    set(y * width_ + x, colour, coverage);
            }
    }

    /// Adds `noise()` to every channel of every pixel and clamps to [0, 1].
    template <typename NoiseSource> void addNoise(NoiseSource&& noise)
    {
        for (float& value : pixels_)
            value = std::clamp(value + static_cast<float>(noise()), 0.0f, 1.0f);
    }

    /// Writes the pixels as uint8 in channels-first order (3×height×width).
    void writeChannelsFirst(uint8_t* out) const
    {
        const int plane = width_ * height_;
        for (int i = 0; i < plane; ++i)
            for (int channel = 0; channel < 3; ++channel)
                out[channel * plane + i] = static_cast<uint8_t>(std::lround(pixels_[3 * i + channel] * 255.0f));
    }

private:
    void set(int index, Colour colour, float alpha)
    {
        float* pixel = &pixels_[3 * index];
        pixel[0] += alpha * (colour.red - pixel[0]);
        pixel[1] += alpha * (colour.green - pixel[1]);
        pixel[2] += alpha * (colour.blue - pixel[2]);
    }

    int width_;
    int height_;
    std::vector<float> pixels_;
};

} // namespace netdraft::engine
