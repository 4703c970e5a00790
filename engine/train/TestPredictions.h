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
    PreviewSample sample;     ///< the input and its true label
    int64_t predicted = -1;   ///< class index
    double confidence = 0.0;  ///< softmax probability of the predicted class
};

struct TestPredictions {
    std::vector<int64_t> sampleShape;
    bool images = false;
    std::vector<std::string> classNames;
    int64_t testSamples = 0;
    /// Test samples in order, at most `perCell` of each (true, predicted) pair, so that every cell
    /// of the confusion matrix has examples and the rare mistakes are not crowded out.
    std::vector<PredictedSample> samples;
};

/// Loads the project's dataset and its test part (the same split as training), runs the weights in
/// `weightsPath` (a Netdraft weights file or checkpoint) on it in eval mode, and collects samples.
/// Classification only; throws Error otherwise, or when the data or weights do not fit.
TestPredictions predictTestSamples(const Project& project, const std::string& projectDirectory,
                                   const std::string& weightsPath, int perCell = 12);

} // namespace netdraft::engine
