#pragma once
// Datasets drawn from a seed, with no files: small, learnable stand-ins for CIFAR-style images,
// 2-D point clouds and token sequences. Sample i depends only on (seed, i) and its class is
// i mod classes, so every class is equally represented.

#include "engine/data/Dataset.h"

#include <cstdint>

namespace netdraft::engine {

/// 3×32×32 uint8 images of 10 shapes (circle, square, triangle, cross, ring, horizontal bar,
/// vertical bar, diamond, X, dots) with random colours, size, position, slight rotation and noise.
InMemoryDataset generateShapes(int64_t samples, uint64_t seed);

/// 2 float features: `classes` (2 or 3) interleaved noisy spiral arms.
InMemoryDataset generateSpirals(int64_t samples, uint64_t seed, int64_t classes = 2);

/// 2 float features: two interleaved noisy half circles.
InMemoryDataset generateMoons(int64_t samples, uint64_t seed);

constexpr int64_t kSequenceLength = 20;
constexpr int64_t kSequenceVocabulary = 16;
constexpr int64_t kSequenceMarkerA = 1;
constexpr int64_t kSequenceMarkerB = 2;

/// int64 token sequences of length 20 over 16 tokens: filler tokens 3..15 plus one to five copies
/// each of the markers 1 and 2, never equally many; class 0 when marker 1 appears more often,
/// class 1 when marker 2 does.
InMemoryDataset generateSequences(int64_t samples, uint64_t seed);

} // namespace netdraft::engine
