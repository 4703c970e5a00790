#pragma once
// Small graphs, data and settings for the trainer and checkpoint tests: fast on two cores.

#include "engine/data/PreparedData.h"
#include "engine/graph/Graph.h"
#include "engine/project/TrainingSettings.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::tests {

/// Input(8) → Linear(hidden) → ReLU → Linear(3) → Output.
engine::Graph smallClassifier(int64_t hidden = 32);

/// Three Gaussian blobs in 8 dimensions (class = blob), drawn from `seed`: `samples` training samples,
/// a quarter as many each for validation and test.
engine::PreparedData blobs(int64_t samples, uint64_t seed = 5);

/// SGD with momentum, constant rate, 4 epochs of batch 16, no early stopping, single-threaded.
engine::TrainingSettings quickSettings();

/// A fresh empty folder under the system temp folder, named after `name`.
std::string freshFolder(const std::string& name);

/// The largest absolute difference between matching tensors of `a` and `b` (weights trained two ways).
double largestDifference(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b);

} // namespace netdraft::tests
