#pragma once
// A small random number source whose sequence is fixed by its seed on every platform (the
// standard distributions are not), for generated datasets, splits, shuffles and augmentation.

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <random>

namespace netdraft::engine {

/// Mixes several values (seed, epoch, batch index...) into one well-spread 64-bit seed (SplitMix64).
inline uint64_t mixSeed(std::initializer_list<uint64_t> parts)
{
    uint64_t state = 0x9E3779B97F4A7C15ull;
    for (uint64_t part : parts) {
        state ^= part + 0x9E3779B97F4A7C15ull + (state << 6) + (state >> 2);
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        state = z ^ (z >> 31);
    }
    return state;
}

/// Uniform, integer and normal draws from a seeded Mersenne Twister.
class SeededRandom {
public:
    explicit SeededRandom(uint64_t seed)
        : engine_(seed)
    {
    }

    /// Uniform in [0, 1).
    double uniform() { return static_cast<double>(engine_() >> 11) * (1.0 / 9007199254740992.0); }
    double uniform(double low, double high) { return low + (high - low) * uniform(); }
    /// Uniform integer in [0, count).
    int64_t below(int64_t count) { return static_cast<int64_t>(uniform() * static_cast<double>(count)); }
    bool chance(double probability) { return uniform() < probability; }
    /// Standard normal (Box-Muller).
    double normal()
    {
        double u = 1.0 - uniform();
        return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * uniform());
    }

private:
    std::mt19937_64 engine_;
};

} // namespace netdraft::engine
