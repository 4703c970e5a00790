// Training throughput: the Netdraft trainer (data loader, metrics, NaN check, reports) against a plain
// LibTorch loop over pre-made float batches, same model and optimizer, in the same process.
//   netdraft_bench_train [--samples N] [--epochs N] [--batch-size N] [--device cpu|cuda] [--threads N] [--rounds N]
// Prints samples/s of both and their ratio (target >= 0.97).

#include "engine/graph/GraphBuilder.h"
#include "engine/model/GraphModel.h"
#include "engine/train/DeviceSelection.h"
#include "engine/train/Trainer.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

using namespace netdraft::engine;

namespace {

/// The corrected classic CIFAR-10 CNN: three Conv(3×3, padding 1)+ReLU+MaxPool(2), Flatten, Linear(2048→10).
Graph classicCnn()
{
    GraphBuilder builder;
    builder.input({ 3, 32, 32 });
    const int64_t channels[] = { 32, 64, 128 };
    for (int i = 0; i < 3; ++i) {
        const std::string n = std::to_string(i + 1);
        builder.then("Conv2d", { { "out_channels", channels[i] }, { "padding", int64_t(1) } }, "conv" + n)
            .then("ReLU", {}, "relu" + n)
            .then("MaxPool2d", {}, "pool" + n);
    }
    builder.then("Flatten", {}, "flatten").then("Linear", { { "out_features", int64_t(10) } }, "fc").output();
    return builder.graph();
}

struct Options {
    int64_t samples = 2048;
    int64_t epochs = 2;
    int64_t batchSize = 64;
    std::string device = "cpu";
    int64_t threads = 0;
    int rounds = 3;
};

TrainingSettings settingsFor(const Options& options)
{
    TrainingSettings settings;
    settings.epochs = options.epochs;
    settings.batchSize = options.batchSize;
    settings.optimizer = "sgd";
    settings.learningRate = 0.01;
    settings.momentum = 0.9;
    settings.device = options.device;
    settings.threads = options.threads;
    settings.keepBest = false;
    return settings;
}

void synchronize(const torch::Device& device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.index());
}

double trainerSamplesPerSecond(const Options& options, const InMemoryDataset& images, const Graph& graph)
{
    PreparedData data;
    data.train = images;
    Trainer trainer(buildModel(graph, 1), data, settingsFor(options));
    const auto start = std::chrono::steady_clock::now();
    const TrainingResult result = trainer.run();
    synchronize(selectDevice(options.device));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (result.reason != StopReason::Completed)
        std::fprintf(stderr, "trainer: %s\n", result.message.c_str());
    return static_cast<double>(options.samples * options.epochs) / seconds;
}

double plainSamplesPerSecond(const Options& options, const InMemoryDataset& images, const Graph& graph)
{
    const torch::Device device = selectDevice(options.device);
    GraphModel model = buildModel(graph, 1);
    model->to(device);
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
    // Batches made beforehand: float, scaled, on the device.
    std::vector<std::pair<torch::Tensor, torch::Tensor>> batches;
    for (int64_t first = 0; first < options.samples; first += options.batchSize) {
        const int64_t last = std::min(first + options.batchSize, options.samples);
        batches.emplace_back(images.inputs.slice(0, first, last).to(torch::kFloat).div(255).to(device),
            images.targets.slice(0, first, last).to(device));
    }
    synchronize(device);
    const auto start = std::chrono::steady_clock::now();
    for (int64_t epoch = 0; epoch < options.epochs; ++epoch)
        for (const auto& [inputs, targets] : batches) {
            optimizer.zero_grad();
            torch::Tensor loss = torch::nn::functional::cross_entropy(model->forward(inputs), targets);
            loss.backward();
            optimizer.step();
        }
    synchronize(device);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return static_cast<double>(options.samples * options.epochs) / seconds;
}

Options parse(int argc, char** argv)
{
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const char* value = argv[i + 1];
        if (key == "--samples")
            options.samples = std::stoll(value);
        else if (key == "--epochs")
            options.epochs = std::stoll(value);
        else if (key == "--batch-size")
            options.batchSize = std::stoll(value);
        else if (key == "--device")
            options.device = value;
        else if (key == "--threads")
            options.threads = std::stoll(value);
        else if (key == "--rounds")
            options.rounds = std::stoi(value);
        else
            std::fprintf(stderr, "unknown option %s\n", key.c_str());
    }
    return options;
}

} // namespace

int main(int argc, char** argv)
{
    const Options options = parse(argc, argv);
    configureThreads(options.threads);
    InMemoryDataset images; // CIFAR-shaped random data
    at::Generator generator = at::detail::createCPUGenerator(3);
    images.inputs = torch::randint(0, 256, { options.samples, 3, 32, 32 }, generator, torch::kUInt8);
    images.targets = torch::randint(0, 10, { options.samples }, generator, torch::kLong);
    images.inputScale = 255.0;
    for (int c = 0; c < 10; ++c)
        images.classNames.push_back("class" + std::to_string(c));
    const Graph graph = classicCnn();

    std::printf("classic CNN, %lld samples x %lld epochs, batch %lld, device %s, %d threads\n",
        static_cast<long long>(options.samples), static_cast<long long>(options.epochs),
        static_cast<long long>(options.batchSize), options.device.c_str(), torch::get_num_threads());
    plainSamplesPerSecond(options, images, graph); // warm-up: allocator, kernels, thread pool
    double bestPlain = 0, bestTrainer = 0;
    for (int round = 0; round < options.rounds; ++round) {
        const double plain = plainSamplesPerSecond(options, images, graph);
        const double trainer = trainerSamplesPerSecond(options, images, graph);
        std::printf("round %d: plain loop %.1f samples/s, Netdraft trainer %.1f samples/s (%.3f)\n", round + 1, plain,
            trainer, trainer / plain);
        bestPlain = std::max(bestPlain, plain);
        bestTrainer = std::max(bestTrainer, trainer);
    }
    std::printf("best: plain loop %.1f samples/s, Netdraft trainer %.1f samples/s, ratio %.3f\n", bestPlain,
        bestTrainer, bestTrainer / bestPlain);
    return 0;
}
