#include "engine/train/TestPredictions.h"

#include "engine/core/Error.h"
#include "engine/data/BatchAssembler.h"
#include "engine/data/PreparedData.h"
#include "engine/data/SampleDescription.h"
#include "engine/model/GraphModel.h"
#include "engine/train/WeightsImport.h"

namespace netdraft::engine {

TestPredictions predictTestSamples(
    const Project& project, const std::string& projectDirectory, const std::string& weightsPath, int64_t maxKeptBytes)
{
    const CompiledNetwork network = CompiledNetwork::compile(project);
    const ExpectedData expected = expectedData(network);
    ND_CHECK(expected.classification, "sample predictions are shown for classification only");
    const PreparedData data = prepareData(project.dataset, projectDirectory, expected);
    const InMemoryDataset& test = data.test;

    GraphModel model = buildModel(network, static_cast<uint64_t>(project.training.seed));
    importWeightsFile(*model, weightsPath);
    model->eval();

    TestPredictions result;
    result.sampleShape = test.sampleShape();
    result.images = holdsImages(test);
    result.classNames = test.classNames;
    result.testSamples = test.size();
    result.maxKeptBytes = maxKeptBytes;
    result.samples.reserve(static_cast<size_t>(test.size()));

    LoaderOptions options;
    options.batchSize = 256;
    options.shuffle = false;
    options.prefetch = false;
    options.normalization = data.normalization;
    BatchAssembler batches(test, options);
    batches.startEpoch(0);
    int64_t keptBytes = 0;
    torch::NoGradGuard noGrad;
    int64_t offset = 0;
    for (int64_t b = 0; b < batches.batchesPerEpoch(); ++b) {
        const Batch batch = batches.assemble(0, b);
        const torch::Tensor probabilities = torch::softmax(model->forward(batch.inputs).to(torch::kFloat), 1);
        const auto [confidence, predicted] = probabilities.max(1);
        for (int64_t i = 0; i < batch.size(); ++i) {
            const int64_t index = offset + i;
            PredictedSample sample;
            sample.index = index;
            sample.predicted = predicted[i].item<int64_t>();
            sample.confidence = confidence[i].item<double>();
            if (keptBytes < maxKeptBytes) {
                sample.sample = previewSample(test, index);
                keptBytes += static_cast<int64_t>(sample.sample.pixels.size() + sample.sample.values.size() * 8);
                ++result.keptSamples;
            } else {
                sample.sample.label = test.targets[index].item<int64_t>();
                sample.sample.labelText
                    = sample.sample.label >= 0 && sample.sample.label < static_cast<int64_t>(test.classNames.size())
                    ? test.classNames[static_cast<size_t>(sample.sample.label)]
                    : std::string();
            }
            result.samples.push_back(std::move(sample));
        }
        offset += batch.size();
    }
    return result;
}

} // namespace netdraft::engine
