// The "shapes" dataset: CIFAR-shaped images of ten drawn figures, the example projects' default.

#include "engine/core/Error.h"
#include "engine/core/Shape.h"
#include "engine/data/Canvas.h"
#include "engine/data/DatasetRegistry.h"
#include "engine/data/GeneratedDatasets.h"
#include "engine/data/SeededRandom.h"

#include <ATen/Parallel.h>

namespace netdraft::engine {
namespace {

constexpr int kSide = 32;

const std::vector<std::string> kShapeNames { "circle", "square", "triangle", "cross", "ring", "horizontal bar",
    "vertical bar", "diamond", "x", "dots" };

Colour randomColour(SeededRandom& random)
{
    return { static_cast<float>(random.uniform()), static_cast<float>(random.uniform()),
        static_cast<float>(random.uniform()) };
}

float colourDistance(Colour a, Colour b)
{
    return std::sqrt((a.red - b.red) * (a.red - b.red) + (a.green - b.green) * (a.green - b.green)
        + (a.blue - b.blue) * (a.blue - b.blue));
}

/// Distance to figure `shape` of size `r` at the origin (x right, y down, pixels).
float figureDistance(int64_t shape, float x, float y, float r)
{
    const float thickness = std::max(1.3f, 0.22f * r);
    switch (shape) {
    case 0:
        return distance::circle(x, y, r);
    case 1:
        return distance::box(x, y, 0.8f * r, 0.8f * r);
    case 2:
        return distance::triangle(x, y, 1.1f * r);
    case 3:
        return std::min(distance::box(x, y, r, thickness), distance::box(x, y, thickness, r));
    case 4:
        return std::abs(distance::circle(x, y, 0.8f * r)) - thickness * 0.7f;
    case 5:
        return distance::box(x, y, r, thickness * 1.2f);
    case 6:
        return distance::box(x, y, thickness * 1.2f, r);
    case 7:
        return (std::abs(x) + std::abs(y) - 1.05f * r) * 0.70710678f;
    case 8:
        return std::min(distance::stroke(x, y, -0.8f * r, -0.8f * r, 0.8f * r, 0.8f * r, thickness * 0.8f),
            distance::stroke(x, y, -0.8f * r, 0.8f * r, 0.8f * r, -0.8f * r, thickness * 0.8f));
    default: {
        const float offset = 0.55f * r, dot = std::max(1.4f, 0.28f * r);
        float nearest = distance::circle(x - offset, y - offset, dot);
        nearest = std::min(nearest, distance::circle(x + offset, y - offset, dot));
        nearest = std::min(nearest, distance::circle(x - offset, y + offset, dot));
        return std::min(nearest, distance::circle(x + offset, y + offset, dot));
    }
    }
}

void drawSample(int64_t shape, uint64_t sampleSeed, uint8_t* out)
{
    SeededRandom random(sampleSeed);
    Canvas canvas(kSide, kSide);
    Colour background = randomColour(random);
    Colour foreground = randomColour(random);
    // Keep the figure visible: redraw its colour until it stands out from the background.
    while (colourDistance(background, foreground) < 0.45f)
        foreground = randomColour(random);
    canvas.fill(background);

    const float r = static_cast<float>(random.uniform(6.0, 11.0));
    const float margin = r + 1.5f;
    const float centreX = static_cast<float>(random.uniform(margin, kSide - margin));
    const float centreY = static_cast<float>(random.uniform(margin, kSide - margin));
    const float angle = static_cast<float>(random.uniform(-0.2, 0.2)); // about ±11°: a square stays no diamond
    const float cosine = std::cos(angle), sine = std::sin(angle);
    canvas.paint(
        [&](float x, float y) {
            float dx = x - centreX, dy = y - centreY;
            return figureDistance(shape, cosine * dx + sine * dy, -sine * dx + cosine * dy, r);
        },
        foreground);

    const double noise = random.uniform(0.0, 0.08);
    canvas.addNoise([&] { return noise * random.normal(); });
    canvas.writeChannelsFirst(out);
}

LoadedDataset loadShapes(const DatasetRequest& request)
{
    return { generateShapes(request.spec.samples, static_cast<uint64_t>(request.spec.generatorSeed)), std::nullopt };
}

NETDRAFT_REGISTER_DATASET("shapes", 10, loadShapes);

} // namespace

InMemoryDataset generateShapes(int64_t samples, uint64_t seed)
{
    ND_CHECK(samples > 0, "shapes: samples must be positive, got ", samples);
    const int64_t classes = static_cast<int64_t>(kShapeNames.size());
    InMemoryDataset data;
    data.inputs = torch::empty({ samples, 3, kSide, kSide }, torch::kUInt8);
    data.targets = torch::arange(samples, torch::kInt64).remainder(classes);
    uint8_t* pixels = data.inputs.data_ptr<uint8_t>();
    at::parallel_for(0, samples, 64, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i)
            drawSample(i % classes, mixSeed({ seed, static_cast<uint64_t>(i) }), pixels + i * 3 * kSide * kSide);
    });
    data.classNames = kShapeNames;
    data.inputScale = 255.0;
    data.description = "Shapes, " + std::to_string(samples) + " samples, 3×32×32, 10 classes";
    return data;
}

} // namespace netdraft::engine
