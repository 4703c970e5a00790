// Training memory: the estimate of engine/insight/NetworkCost (weights, gradients, optimizer state and
// every block's output for the batch) against what one training step of the same network really takes
// on the device, from a fresh model and optimizer.
//   netdraft_bench_memory [PROJECT] [--device cpu|cuda|cuda:K] [--batch-sizes 32,128,1024]
//                         [--optimizer sgd|adam]
// CUDA: the caching allocator's peak of live tensor bytes (`max_memory_allocated`). CPU: the growth of
// the process's peak resident set, a coarse figure (tests/engine/TrainingMemoryTest counts every CPU
// tensor byte exactly). Prints one line per batch size and "RESULT" lines with the ratios.
// Without PROJECT: the corrected classic CIFAR-10 CNN.

#include "engine/graph/GraphBuilder.h"
#include "engine/insight/NetworkCost.h"
#include "engine/io/ProjectFormat.h"
#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/train/CudaMemoryStats.h"
#include "engine/train/DeviceSelection.h"
#include "engine/train/OptimizerRegistry.h"

#include <sys/resource.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

using namespace netdraft::engine;

namespace {

Project classicCnnProject()
{
    GraphBuilder builder;
    builder.input({ 3, 32, 32 });
    const int64_t channels[] = { 32, 64, 128 };
    for (int i = 0; i < 3; ++i)
        builder.then("Conv2d", { { "out_channels", channels[i] }, { "padding", int64_t(1) } })
            .then("ReLU", {})
            .then("MaxPool2d", {});
    builder.then("Flatten", {}).then("Linear", { { "out_features", int64_t(10) } }).output();
    Project project;
    project.graph = builder.graph();
    return project;
}

int64_t peakResidentBytes()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

struct Measured {
    int64_t peakBytes = 0; ///< above what lived before the model was made
    bool exact = false; ///< CUDA's allocator count, not the CPU's resident set
};

/// One step (forward, loss, backward, optimizer step) of a fresh model; the growth of peak memory.
Measured measureStep(const CompiledNetwork& network, const TrainingSettings& settings, const torch::Device& device)
{
    const int cudaIndex = device.is_cuda() ? (device.has_index() ? device.index() : 0) : -1;
    const std::optional<CudaAllocatedBytes> before = cudaAllocatedBytes(cudaIndex);
    resetCudaPeakAllocated(cudaIndex);
    const int64_t residentBefore = peakResidentBytes();

    GraphModel model = buildModel(network, 1);
    model->to(device);
    std::vector<torch::Tensor> parameters = model->parameters();
    auto optimizer = OptimizerRegistry::instance().get(settings.optimizer).make(settings, parameters);
    std::vector<int64_t> shape { settings.batchSize };
    for (int64_t size : network.signature().inputShape)
        shape.push_back(size);
    const torch::Tensor input = torch::randn(shape, torch::TensorOptions().device(device));
    torch::Tensor output = model->forward(input);
    torch::Tensor loss;
    if (network.signature().classification)
        loss = torch::nn::functional::cross_entropy(output.reshape({ settings.batchSize, -1 }),
            torch::randint(0, network.signature().outputSize, { settings.batchSize },
                torch::TensorOptions().dtype(torch::kLong).device(device)));
    else
        loss = torch::mse_loss(output, torch::randn_like(output));
    output = torch::Tensor();
    loss.backward();
    optimizer->step();
    if (device.is_cuda())
        torch::cuda::synchronize(cudaIndex);

    Measured measured;
    if (const std::optional<CudaAllocatedBytes> after = cudaAllocatedBytes(cudaIndex); after && before) {
        measured.peakBytes = after->peak - before->current;
        measured.exact = true;
    } else {
        measured.peakBytes = peakResidentBytes() - residentBefore;
    }
    return measured;
}

std::vector<int64_t> parseList(const std::string& text)
{
    std::vector<int64_t> values;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');)
        values.push_back(std::stoll(item));
    return values;
}

} // namespace

int main(int argc, char** argv)
{
    std::string projectPath;
    std::string deviceName = "cpu";
    std::string optimizerName = "sgd";
    std::vector<int64_t> batchSizes { 32, 128, 1024 };
    for (int i = 1; i < argc; ++i) {
        const std::string key = argv[i];
        const bool hasValue = i + 1 < argc;
        if (key == "--device" && hasValue)
            deviceName = argv[++i];
        else if (key == "--batch-sizes" && hasValue)
            batchSizes = parseList(argv[++i]);
        else if (key == "--optimizer" && hasValue)
            optimizerName = argv[++i];
        else if (key.rfind("--", 0) != 0)
            projectPath = key;
        else {
            std::fprintf(stderr, "unknown option %s\n", key.c_str());
            return 2;
        }
    }
    try {
        const Project project = projectPath.empty() ? classicCnnProject() : loadProjectFile(projectPath);
        const CompiledNetwork network = CompiledNetwork::compile(project);
        const torch::Device device = selectDevice(deviceName);
        std::printf("%s on %s, optimizer %s\n", projectPath.empty() ? "classic CNN (corrected)" : projectPath.c_str(),
            device.str().c_str(), optimizerName.c_str());
        measureStep(network, [&] {
            TrainingSettings warmUp = project.training;
            warmUp.optimizer = optimizerName;
            warmUp.batchSize = batchSizes.front();
            return warmUp;
        }(), device); // CUDA context, cuDNN and cuBLAS handles: made once, not counted below
        for (int64_t batchSize : batchSizes) {
            TrainingSettings settings = project.training;
            settings.optimizer = optimizerName;
            settings.batchSize = batchSize;
            settings.precision = "fp32";
            const TrainingMemory estimate = costOf(network, CostOptions::fromSettings(settings)).memory;
            const Measured measured = measureStep(network, settings, device);
            const double ratio = double(measured.peakBytes) / double(estimate.totalBytes());
            std::printf("batch %lld: estimate %.1f MiB (activations %.1f MiB), measured peak %.1f MiB (%s): %.3f of "
                        "the estimate\n",
                static_cast<long long>(batchSize), estimate.totalBytes() / 1048576.0,
                estimate.activationBytes() / 1048576.0, measured.peakBytes / 1048576.0,
                measured.exact ? "allocator" : "resident set growth, coarse", ratio);
            std::printf("RESULT memory_ratio_batch%lld %.4f\n", static_cast<long long>(batchSize), ratio);
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "netdraft_bench_memory: %s\n", error.what());
        return 1;
    }
    return 0;
}
