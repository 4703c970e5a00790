#pragma once
// A look at a project's dataset for the GUI's dataset panel, behind a LibTorch-free interface:
// a few samples with their labels, the class counts, the sample shape, the split sizes and whether
// the data fits the graph's Input and Output.

#include "engine/project/Project.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One sample as plain values.
struct PreviewSample {
    int64_t label = -1;           ///< class index; -1 for regression
    std::string labelText;        ///< class name, or the target values
    std::vector<uint8_t> pixels;  ///< C×H×W bytes when the sample is an image (C is 1 or 3), else empty
    std::vector<double> values;   ///< the first values of a non-image sample (features or token ids)
};

struct DatasetPreview {
    std::string description;              ///< "Shapes, 6000 samples, 3×32×32, 10 classes"
    std::vector<int64_t> sampleShape;     ///< per sample
    bool images = false;                  ///< samples are C×H×W uint8 images
    std::vector<std::string> classNames;  ///< empty for regression
    std::vector<int64_t> classCounts;     ///< per class, over every sample loaded
    int64_t trainSamples = 0;
    int64_t validationSamples = 0;
    int64_t testSamples = 0;
    bool ownTestFiles = false;            ///< the test part comes from the dataset's own test files
    std::string mismatch;                 ///< why the data does not fit the graph; empty when it fits
    std::vector<PreviewSample> samples;   ///< the first samples of the training files, up to the limit
};

/// Describes projects' datasets, keeping the last one loaded: graph edits that leave the dataset and
/// the Input block alone only re-check the fit. Not thread-safe; use one from one thread at a time.
class DatasetPreviewer {
public:
    DatasetPreviewer();
    ~DatasetPreviewer();
    DatasetPreviewer(const DatasetPreviewer&) = delete;
    DatasetPreviewer& operator=(const DatasetPreviewer&) = delete;

    /// Loads the dataset of `project` (relative paths against `projectDirectory`) and describes it.
    /// A dataset that loads but does not fit the graph is described with `mismatch` set; one that
    /// cannot be loaded (missing or malformed files) throws Error naming the file.
    DatasetPreview preview(const Project& project, const std::string& projectDirectory, int maxSamples = 24);

private:
    struct Cache;
    std::unique_ptr<Cache> cache_;
};

} // namespace netdraft::engine
