#pragma once
// What a trained model predicts for the test samples, with the samples themselves, for the GUI's
// results (a grid of predictions; the images behind a confusion-matrix cell). LibTorch-free.

#include "engine/data/DatasetPreview.h"
#include "engine/project/Project.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

struct PredictedSample {
    int64_t index = -1; ///< position in the test split
    PreviewSample sample; ///< the input (empty once the size limit is reached) and its true label
    int64_t predicted = -1; ///< class index
    double confidence = 0.0; ///< softmax probability of the predicted class
    bool kept() const { return !sample.pixels.empty() || !sample.values.empty(); }
};

struct TestPredictions {
    std::vector<int64_t> sampleShape;
    bool images = false;
    std::vector<std::string> classNames;
    int64_t testSamples = 0;
    /// Every test sample in order, with its prediction: they add up to the run's confusion matrix.
    /// The inputs themselves are kept until `maxKeptBytes`; later samples keep only their prediction.
    std::vector<PredictedSample> samples;
    int64_t keptSamples = 0; ///< samples whose input is kept (the first ones)
    int64_t maxKeptBytes = 0; ///< the limit that stopped keeping inputs
};

/// Loads the project's dataset and its test part (the same split as training), runs the weights in
/// `weightsPath` (a Netdraft weights file or checkpoint) on it in eval mode and predicts every test
/// sample. Inputs are kept for the gallery up to `maxKeptBytes` in all (128 MiB by default: 40 000
/// CIFAR images). Classification only; throws Error otherwise, or when the data or weights do not fit.
TestPredictions predictTestSamples(const Project& project, const std::string& projectDirectory,
    const std::string& weightsPath, int64_t maxKeptBytes = 128ll << 20);

} // namespace netdraft::engine
