#pragma once
// A dataset held in memory, ready to be split and batched. Images stay uint8; batches become float.

#include <torch/torch.h>

#include <string>
#include <vector>

namespace netdraft::engine {

/// Samples in one contiguous tensor plus labels.
///  - `inputs`: N×… per-sample layout of the graph's Input (uint8 images N×C×H×W, float features
///    N×F, int64 token ids N×T). Images stay uint8 in memory and become float only per batch.
///  - `targets`: int64 class indexes N (classification) or float N×K (regression).
struct InMemoryDataset {
    torch::Tensor inputs;
    torch::Tensor targets;
    std::vector<std::string> classNames; ///< empty for regression
    /// Token by id for text inputs ("<pad>", "<unk>", then the tokens as read); empty otherwise.
    std::vector<std::string> vocabulary;
    /// Divide uint8 inputs by this when converting to float (255 for images).
    double inputScale = 1.0;
    std::string description; ///< "Shapes, 6000 samples, 3×32×32, 10 classes"

    int64_t size() const { return inputs.defined() ? inputs.size(0) : 0; }
    std::vector<int64_t> sampleShape() const;
    bool isClassification() const { return !classNames.empty(); }
};

} // namespace netdraft::engine
