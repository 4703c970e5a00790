#pragma once
// The viewer on a block: what any block of a network gives for one test sample (feature maps C×H×W, a
// vector or a sequence), with the trained run's weights or the project's starting ones. LibTorch-free,
// so that the app's viewer window can hold one.

#include "engine/data/DatasetPreview.h"
#include "engine/project/Project.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One block's output for one sample, without the batch dimension.
struct BlockOutput {
    std::string blockId; ///< as the network runs it ("conv2", "enc1__conv" inside a composite)
    std::string label; ///< as messages name it: "features2 (conv2)"
    std::string type; ///< its layer type
    std::vector<int64_t> shape; ///< per sample: {C, H, W} for feature maps, {D} for a vector, {T, D} …
    std::vector<float> values; ///< row-major, shape's product of them

    bool featureMaps() const { return shape.size() == 3; }
    /// "16×14×14"
    std::string shapeText() const;
};

/// One test sample with what the weights predict for it.
struct ViewedSample {
    int64_t index = -1; ///< position in the test part
    PreviewSample sample; ///< its input (pixels of an image, else its first values) and true label
    int64_t predicted = -1; ///< class index, -1 without classification
    double confidence = 0.0; ///< softmax probability of the predicted class
};

/// A project's network with loaded weights and its test part, ready to show any block's output for any
/// test sample. Loading reads the dataset (the same split and normalisation as training); each output
/// then runs the network up to the block on one sample, on the CPU in eval mode.
class BlockViewer {
public:
    /// `weightsPath`: a Netdraft weights file or checkpoint; empty: the project's starting weights (its
    /// initial_weights file when it names one, else those drawn from its seed). Throws Error when the
    /// design has errors, the data do not fit or the weights do not load.
    BlockViewer(const Project& project, const std::string& projectDirectory, const std::string& weightsPath);
    ~BlockViewer();
    BlockViewer(BlockViewer&&) noexcept;
    BlockViewer& operator=(BlockViewer&&) noexcept;

    int64_t testSamples() const;
    const std::vector<int64_t>& sampleShape() const;
    bool images() const; ///< samples are C×H×W images
    bool classification() const;
    const std::vector<std::string>& classNames() const;
    /// The name of class `index`, or the index as text when the data name no such class.
    std::string className(int64_t index) const;
    /// The blocks that compute something, in execution order (ids as the network runs them).
    std::vector<std::string> blockIds() const;
    /// How messages name `blockId`: "features2 (conv2)".
    std::string blockLabel(const std::string& blockId) const;
    /// The id of the block called `name` (its id or its display name, also "instance__inner" inside a
    /// composite); throws Error naming the blocks there are.
    std::string resolveBlock(const std::string& name) const;

    /// Test sample `index` with the prediction; throws Error when there is no such sample.
    ViewedSample sample(int64_t index) const;
    /// What block `name` gives for test sample `sampleIndex`.
    BlockOutput blockOutput(const std::string& name, int64_t sampleIndex) const;

    /// The loaded network, model and data (engine/insight/BlockViewerRun.h), for Grad-CAM.
    struct Run;
    Run& run() const { return *run_; }

private:
    std::unique_ptr<Run> run_;
};

} // namespace netdraft::engine
