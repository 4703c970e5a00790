#pragma once
// Graphs shared by the engine tests.

#include "engine/graph/Graph.h"

namespace netdraft::tests {

/// The classic CIFAR-10 CNN: three Conv(3×3, padding 1)+ReLU, flatten, Linear(→10).
/// Naive (withPooling false): no pooling and Linear pinned to 128 inputs, which is wrong.
/// Corrected: MaxPool2d(2) after each ReLU and Linear(2048→10).
engine::Graph classicCnn(bool withPooling);

} // namespace netdraft::tests
