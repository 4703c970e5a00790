#pragma once
// Loading exported or checkpointed weights into a built model, for fine-tuning: everything is
// checked first and copied only when all of it fits, so a model is never half loaded.

#include "engine/io/StateDict.h"
#include "engine/train/Checkpoint.h"

#include <optional>

#include <string>
#include <vector>

namespace netdraft::engine {

/// Every difference between a model's state and a set of weights.
struct WeightsMismatch {
    std::vector<std::string> missing;    ///< in the model, not in the file
    std::vector<std::string> unexpected; ///< in the file, not in the model
    std::vector<std::string> wrongShape; ///< "conv1.weight: file 16×3×3×3, model 32×3×3×3"

    bool empty() const { return missing.empty() && unexpected.empty() && wrongShape.empty(); }
    /// One line per difference, grouped by kind.
    std::string toString() const;
};

/// Compares names, shapes and element kinds (floating point vs integer) without changing anything.
WeightsMismatch compareWeights(const torch::nn::Module& model, const NamedTensors& weights);

/// Copies `weights` into `model` when compareWeights() finds no difference; otherwise throws
/// Error naming `sourceName` and listing every difference, leaving the model untouched.
void importWeights(torch::nn::Module& model, const NamedTensors& weights, const std::string& sourceName);

/// The tensors of an exported state dict (see StateDict.h; only tensors are read, no code runs) or of
/// a Netdraft checkpoint / weights file (engine/train/Checkpoint.h: its model's state), by name.
NamedTensors readWeightsFile(const std::string& path);

/// A weights file, read once: a Netdraft checkpoint or a run's weights file (a module archive, which
/// records the graph it was trained on: Checkpoint::requireGraph), or else a plain state dict.
struct OpenedWeights {
    std::optional<Checkpoint> checkpoint; ///< when the file is one
    NamedTensors stateDict; ///< otherwise, its tensors by name
};
/// Throws Error naming `path` when it is neither, or damaged.
OpenedWeights openWeightsFile(const std::string& path);

/// Reads a weights file (readWeightsFile) and imports it. On any mismatch the model keeps its previous
/// weights.
void importWeightsFile(torch::nn::Module& model, const std::string& path);

} // namespace netdraft::engine
