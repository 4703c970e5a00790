#include "tests/engine/TrainingFixtures.h"

#include "engine/graph/GraphBuilder.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <filesystem>

#include <unistd.h>

namespace netdraft::tests {

engine::Graph smallClassifier(int64_t hidden)
{
    engine::GraphBuilder builder;
    builder.input({ 8 })
        .then("Linear", { { "out_features", hidden } }, "fc1")
        .then("ReLU", {}, "relu1")
        .then("Linear", { { "out_features", int64_t(3) } }, "fc2")
        .output();
    return builder.graph();
}

namespace {

engine::InMemoryDataset drawBlobs(const torch::Tensor& centres, int64_t samples, at::Generator& generator)
{
    engine::InMemoryDataset data;
    data.targets = torch::randint(0, 3, { samples }, generator, torch::kLong);
    data.inputs = centres.index_select(0, data.targets) + torch::randn({ samples, 8 }, generator);
    data.classNames = { "a", "b", "c" };
    data.description = "blobs";
    return data;
}

} // namespace

engine::PreparedData blobs(int64_t samples, uint64_t seed)
{
    at::Generator generator = at::detail::createCPUGenerator(seed);
    const torch::Tensor centres = 1.5 * torch::randn({ 3, 8 }, generator);
    engine::PreparedData data;
    data.train = drawBlobs(centres, samples, generator);
    data.validation = drawBlobs(centres, samples / 4, generator);
    data.test = drawBlobs(centres, samples / 4, generator);
    return data;
}

engine::TrainingSettings quickSettings()
{
    engine::TrainingSettings settings;
    settings.epochs = 4;
    settings.batchSize = 16;
    settings.optimizer = "sgd";
    settings.learningRate = 0.05;
    settings.momentum = 0.9;
    settings.seed = 11;
    settings.threads = 1;
    settings.keepBest = false;
    return settings;
}

std::string freshFolder(const std::string& name)
{
    const auto folder
        = std::filesystem::temp_directory_path() / ("netdraft-" + name + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(folder);
    std::filesystem::create_directories(folder);
    return folder.string();
}

double largestDifference(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b)
{
    double largest = 0;
    for (size_t i = 0; i < a.size(); ++i)
        largest = std::max(largest, (a[i] - b[i]).abs().max().item<double>());
    return largest;
}

} // namespace netdraft::tests
