// The "spirals" and "moons" datasets: 2-D points for small fully connected networks.

#include "engine/core/Error.h"
#include "engine/data/DatasetRegistry.h"
#include "engine/data/GeneratedDatasets.h"
#include "engine/data/SeededRandom.h"

#include <cmath>

namespace netdraft::engine {
namespace {

constexpr double kPi = 3.141592653589793;

/// N×2 float points from `point(i, random)`, with class i mod classes.
template <typename PointFunction>
InMemoryDataset drawPoints(int64_t samples, uint64_t seed, int64_t classes, const PointFunction& point)
{
    InMemoryDataset data;
    data.inputs = torch::empty({ samples, 2 }, torch::kFloat32);
    data.targets = torch::arange(samples, torch::kInt64).remainder(classes);
    float* values = data.inputs.data_ptr<float>();
    for (int64_t i = 0; i < samples; ++i) {
        SeededRandom random(mixSeed({ seed, static_cast<uint64_t>(i) }));
        auto [x, y] = point(i % classes, random);
        values[2 * i] = static_cast<float>(x);
        values[2 * i + 1] = static_cast<float>(y);
    }
    for (int64_t k = 0; k < classes; ++k)
        data.classNames.push_back("class " + std::to_string(k));
    return data;
}

LoadedDataset loadSpirals(const DatasetRequest& request)
{
    // The Output block decides between the 2- and 3-arm variants; anything else gets 2 arms and the
    // class-count check then explains the mismatch.
    int64_t classes = request.expected.outputSize == 3 ? 3 : 2;
    return { generateSpirals(request.spec.samples, static_cast<uint64_t>(request.spec.generatorSeed), classes),
        std::nullopt };
}

LoadedDataset loadMoons(const DatasetRequest& request)
{
    return { generateMoons(request.spec.samples, static_cast<uint64_t>(request.spec.generatorSeed)), std::nullopt };
}

NETDRAFT_REGISTER_DATASET("spirals", 30, loadSpirals);
NETDRAFT_REGISTER_DATASET("moons", 40, loadMoons);

} // namespace

InMemoryDataset generateSpirals(int64_t samples, uint64_t seed, int64_t classes)
{
    ND_CHECK(samples > 0, "spirals: samples must be positive, got ", samples);
    ND_CHECK(classes == 2 || classes == 3, "spirals: classes must be 2 or 3, got ", classes);
    InMemoryDataset data = drawPoints(samples, seed, classes, [classes](int64_t arm, SeededRandom& random) {
        double t = random.uniform(0.05, 1.0);
        double angle = 3.0 * kPi * t + 2.0 * kPi * static_cast<double>(arm) / static_cast<double>(classes)
            + 0.15 * random.normal();
        return std::pair { t * std::cos(angle), t * std::sin(angle) };
    });
    data.description
        = "Spirals, " + std::to_string(samples) + " samples, 2 features, " + std::to_string(classes) + " classes";
    return data;
}

InMemoryDataset generateMoons(int64_t samples, uint64_t seed)
{
    ND_CHECK(samples > 0, "moons: samples must be positive, got ", samples);
    InMemoryDataset data = drawPoints(samples, seed, 2, [](int64_t moon, SeededRandom& random) {
        double t = random.uniform(0.0, kPi);
        double x = moon == 0 ? std::cos(t) : 1.0 - std::cos(t);
        double y = moon == 0 ? std::sin(t) : 0.5 - std::sin(t);
        return std::pair { x + 0.1 * random.normal(), y + 0.1 * random.normal() };
    });
    data.description = "Moons, " + std::to_string(samples) + " samples, 2 features, 2 classes";
    return data;
}

} // namespace netdraft::engine
