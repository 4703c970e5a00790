#include "engine/train/TestPredictions.h"

#include "engine/core/Error.h"
#include "engine/data/BatchAssembler.h"
#include "engine/data/PreparedData.h"
#include "engine/data/SampleDescription.h"
#include "engine/train/WeightsImport.h"
#include "engine/model/GraphModel.h"

#include <map>
#include <utility>

namespace netdraft::engine {

TestPredictions predictTestSamples(const Project& project, const std::string& projectDirectory,
                                   const std::string& weightsPath, int perCell)
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

    LoaderOptions options;
    options.batchSize = 256;
    options.shuffle = false;
    options.prefetch = false;
    options.normalization = data.normalization;
    BatchAssembler batches(test, options);
    batches.startEpoch(0);
    std::map<std::pair<int64_t, int64_t>, int> taken;
    torch::NoGradGuard noGrad;
    int64_t offset = 0;
    for (int64_t b = 0; b < batches.batchesPerEpoch(); ++b) {
        const Batch batch = batches.assemble(0, b);
        const torch::Tensor probabilities = torch::softmax(model->forward(batch.inputs).to(torch::kFloat), 1);
        const auto [confidence, predicted] = probabilities.max(1);
        for (int64_t i = 0; i < batch.size(); ++i) {
            const int64_t index = offset + i;
            const int64_t truth = test.targets[index].item<int64_t>();
            const int64_t guess = predicted[i].item<int64_t>();
            int& count = taken[{ truth, guess }];
            if (count >= perCell)
                continue;
            ++count;
            PredictedSample sample;
            sample.sample = previewSample(test, index);
            sample.predicted = guess;
            sample.confidence = confidence[i].item<double>();
            result.samples.push_back(std::move(sample));
        }
        offset += batch.size();
    }
    return result;
}

} // namespace netdraft::engine
