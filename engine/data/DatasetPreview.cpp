#include "engine/data/DatasetPreview.h"

#include "engine/core/Error.h"
#include "engine/core/Shape.h"
#include "engine/data/DatasetRegistry.h"
#include "engine/data/DatasetSplit.h"
#include "engine/data/PreparedData.h"
#include "engine/data/SampleDescription.h"

#include <optional>

namespace netdraft::engine {

namespace {

void countClasses(const InMemoryDataset& data, std::vector<int64_t>& counts)
{
    if (!data.isClassification() || data.size() == 0)
        return;
    const torch::Tensor histogram
        = torch::bincount(data.targets.reshape({ -1 }), {}, static_cast<int64_t>(data.classNames.size()));
    for (int64_t c = 0; c < histogram.size(0) && c < static_cast<int64_t>(counts.size()); ++c)
        counts[static_cast<size_t>(c)] += histogram[c].item<int64_t>();
}

} // namespace

struct DatasetPreviewer::Cache {
    DatasetSpec spec;
    std::string path;
    std::vector<int64_t> inputShape; ///< loaders resize images to it
    std::string inputDtype;
    std::optional<LoadedDataset> loaded;
};

DatasetPreviewer::DatasetPreviewer() : cache_(std::make_unique<Cache>()) {}
DatasetPreviewer::~DatasetPreviewer() = default;

DatasetPreview DatasetPreviewer::preview(const Project& project, const std::string& projectDirectory, int maxSamples)
{
    const ExpectedData expected = expectedData(project);
    const std::string path = resolveDatasetPath(project.dataset.path, projectDirectory);
    Cache& cache = *cache_;
    if (!cache.loaded || !(cache.spec == project.dataset) || cache.path != path
        || cache.inputShape != expected.inputShape || cache.inputDtype != expected.inputDtype) {
        cache.loaded.reset();
        cache.loaded = DatasetRegistry::instance().load({ project.dataset, path, expected });
        cache.spec = project.dataset;
        cache.path = path;
        cache.inputShape = expected.inputShape;
        cache.inputDtype = expected.inputDtype;
    }
    const LoadedDataset& loaded = *cache.loaded;
    const InMemoryDataset& train = loaded.train;

    DatasetPreview preview;
    preview.description = train.description;
    preview.sampleShape = train.sampleShape();
    preview.images = holdsImages(train);
    preview.classNames = train.classNames;
    preview.classCounts.assign(train.classNames.size(), 0);
    countClasses(train, preview.classCounts);
    if (loaded.test)
        countClasses(*loaded.test, preview.classCounts);
    try {
        checkDatasetFits(train, expected);
    } catch (const Error& error) {
        preview.mismatch = error.what();
    }
    // The split sizes prepareData will make.
    int64_t rest = train.size();
    preview.ownTestFiles = loaded.test.has_value();
    if (loaded.test) {
        preview.testSamples = loaded.test->size();
    } else {
        preview.testSamples = heldOutCount(project.dataset.testFraction, rest);
        rest -= preview.testSamples;
    }
    preview.validationSamples = heldOutCount(project.dataset.validationFraction, rest);
    preview.trainSamples = rest - preview.validationSamples;
    for (int64_t i = 0; i < train.size() && i < maxSamples; ++i)
        preview.samples.push_back(previewSample(train, i));
    return preview;
}

} // namespace netdraft::engine
