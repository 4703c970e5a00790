// Training throughput: the Netdraft trainer (data loader, metrics, NaN check, reports) in fp32 and in the
// mixed-precision fast mode (bf16 + channels-last), against a plain LibTorch loop over pre-made float
// batches, same model and optimizer, alternating in the same process.
//   netdraft_bench_train [--samples N] [--epochs N] [--batch-size N] [--device cpu|cuda|cuda:K]
//                        [--threads N] [--rounds N] [--fast-precision bf16|fp16|none]
//   netdraft_bench_train --shapes-accuracy EPOCHS [--threads N]   (fp32 vs the fast mode on Shapes)
//   netdraft_bench_train --statistics-overhead EVERY [--samples N] ...   (the trainer with per-block
//                        statistics every EVERY batches against without, alternating in one run)
// Prints samples/s per round and best of rounds, and one "RESULT name value" line per figure for
// bench/train_bench.py, which adds PyTorch eager in the same run.

#include "engine/data/PreparedData.h"
#include "engine/graph/GraphBuilder.h"
#include "engine/model/GraphModel.h"
#include "engine/train/CpuFastMode.h"
#include "engine/train/DeviceSelection.h"
#include "engine/train/MixedPrecision.h"
#include "engine/train/Trainer.h"
#include "engine/train/TrainingStep.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace netdraft::engine;

namespace {

using Clock = std::chrono::steady_clock;

/// Samples per second of wall time, and per second of the process's CPU time (all threads): on a
/// machine shared with other work the second one is the steadier measure of the work done.
struct Throughput {
    double wall = 0.0;
    double cpu = 0.0;
};

double processCpuSeconds()
{
    timespec now {};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

/// Measures `work`, which trains on `samples` samples in all.
template <typename Work> Throughput measure(int64_t samples, Work&& work)
{
    const auto start = Clock::now();
    const double cpuStart = processCpuSeconds();
    work();
    const double cpu = processCpuSeconds() - cpuStart;
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    return { static_cast<double>(samples) / wall, static_cast<double>(samples) / cpu };
}

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
    std::string fastPrecision; ///< empty: bf16 on a CPU with the fast mode, on CUDA; "none": skip
    int64_t shapesAccuracyEpochs = 0;
    int64_t statisticsEvery = 0; ///< --statistics-overhead: the cadence measured against none
};

/// One way of training: its label and precision settings.
struct Variant {
    std::string name;
    Precision precision = Precision::Float32;
    bool channelsLast = false;
};

TrainingSettings settingsFor(const Options& options, const Variant& variant)
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
    settings.precision = toString(variant.precision);
    settings.channelsLast = variant.channelsLast;
    return settings;
}

void synchronize(const torch::Device& device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.index());
}

Throughput trainerSamplesPerSecond(const Options& options, const Variant& variant, const InMemoryDataset& images,
    const Graph& graph, TrainerOptions trainerOptions = {}, int64_t statisticsEvery = 0)
{
    PreparedData data;
    data.train = images;
    TrainingSettings settings = settingsFor(options, variant);
    settings.statisticsEvery = statisticsEvery;
    Trainer trainer(buildModel(graph, 1), data, settings, trainerOptions);
    TrainingResult result;
    const Throughput throughput = measure(options.samples * options.epochs, [&] {
        result = trainer.run();
        synchronize(selectDevice(options.device));
    });
    if (result.reason != StopReason::Completed)
        std::fprintf(stderr, "trainer (%s): %s\n", variant.name.c_str(), result.message.c_str());
    return throughput;
}

/// The loop anyone would write by hand: batches made beforehand, forward, loss, backward, step; with the
/// variant's autocast and memory format, as PyTorch's AMP recipe does.
Throughput plainSamplesPerSecond(
    const Options& options, const Variant& variant, const InMemoryDataset& images, const Graph& graph)
{
    const torch::Device device = selectDevice(options.device);
    GraphModel model = buildModel(graph, 1);
    model->to(device);
    if (variant.channelsLast)
        TrainingStep::toChannelsLast(*model);
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
    std::vector<std::pair<torch::Tensor, torch::Tensor>> batches;
    for (int64_t first = 0; first < options.samples; first += options.batchSize) {
        const int64_t last = std::min(first + options.batchSize, options.samples);
        torch::Tensor inputs = images.inputs.slice(0, first, last).to(torch::kFloat).div(255).to(device);
        if (variant.channelsLast)
            inputs = inputs.contiguous(torch::MemoryFormat::ChannelsLast);
        batches.emplace_back(inputs, images.targets.slice(0, first, last).to(device));
    }
    synchronize(device);
    return measure(options.samples * options.epochs, [&] {
        for (int64_t epoch = 0; epoch < options.epochs; ++epoch)
            for (const auto& [inputs, targets] : batches) {
                optimizer.zero_grad();
                torch::Tensor loss;
                {
                    AutocastGuard autocast(device, variant.precision);
                    loss = torch::nn::functional::cross_entropy(model->forward(inputs).to(torch::kFloat), targets);
                }
                loss.backward();
                optimizer.step();
            }
        synchronize(device);
    });
}

/// Trains the classic CNN on the Shapes dataset with the same seed in fp32 and in the fast variant and
/// prints both test accuracies.
int shapesAccuracy(const Options& options, const Variant& fast)
{
    DatasetSpec spec; // shapes, 6,000 samples: 4,860 train, 540 validation, 600 test
    ExpectedData expected;
    expected.inputShape = { 3, 32, 32 };
    expected.outputSize = 10;
    expected.classification = true;
    const PreparedData data = prepareData(spec, "", expected);
    for (const Variant& variant : { Variant { "fp32" }, fast }) {
        TrainingSettings settings;
        settings.epochs = options.shapesAccuracyEpochs;
        settings.batchSize = 64;
        settings.optimizer = "adam";
        settings.learningRate = 0.002;
        settings.seed = 42;
        settings.threads = options.threads;
        settings.device = options.device;
        settings.keepBest = false;
        settings.precision = toString(variant.precision);
        settings.channelsLast = variant.channelsLast;
        Trainer trainer(buildModel(classicCnn(), 42), data, settings);
        const auto start = Clock::now();
        const TrainingResult result = trainer.run();
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        if (result.reason != StopReason::Completed || !result.test || !result.test->accuracy) {
            std::fprintf(stderr, "%s: %s\n", variant.name.c_str(), result.message.c_str());
            return 1;
        }
        std::printf("Shapes, %lld epochs, %s: test accuracy %.2f %% (validation %.2f %%), %.1f s\n",
            static_cast<long long>(settings.epochs), variant.name.c_str(), *result.test->accuracy * 100,
            result.lastValidation && result.lastValidation->accuracy ? *result.lastValidation->accuracy * 100 : 0.0,
            seconds);
        std::printf("RESULT shapes_accuracy_%s %.4f\n", variant.name.c_str(), *result.test->accuracy);
    }
    return 0;
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
        else if (key == "--fast-precision")
            options.fastPrecision = value;
        else if (key == "--shapes-accuracy")
            options.shapesAccuracyEpochs = std::stoll(value);
        else if (key == "--statistics-overhead")
            options.statisticsEvery = std::stoll(value);
        else
            std::fprintf(stderr, "unknown option %s\n", key.c_str());
    }
    return options;
}

/// The fast variant for this device: bf16 + channels-last on a CPU with the fast mode or on CUDA, or as
/// asked; none when the CPU has no bf16 instructions.
std::optional<Variant> fastVariant(const Options& options)
{
    if (options.fastPrecision == "none")
        return std::nullopt;
    const bool cuda = selectDevice(options.device).is_cuda();
    if (options.fastPrecision.empty() && !cuda && !cpuFastMode().supported) {
        std::printf("no fast variant: %s\n", cpuFastMode().description.c_str());
        return std::nullopt;
    }
    const Precision precision = parsePrecision(options.fastPrecision.empty() ? "bf16" : options.fastPrecision);
    return Variant { std::string(toString(precision)) + "_channels_last", precision, true };
}

/// The trainer with per-block statistics every options.statisticsEvery batches against without
/// (TrainingSettings::statisticsEvery; no run folder for either, so the figures stay in memory),
/// alternating, `rounds` times; prints each round's ratio and the ratio of the best rounds.
int statisticsOverhead(const Options& options, const Variant& fp32, const InMemoryDataset& images, const Graph& graph)
{
    const std::string with = "netdraft_fp32_statistics_every_" + std::to_string(options.statisticsEvery);
    trainerSamplesPerSecond(options, fp32, images, graph); // warm-up
    std::map<std::string, Throughput> best;
    std::vector<double> cpuRatios; // per round: on a shared machine the median is steadier than the best
    for (int round = 0; round < options.rounds; ++round) {
        std::map<std::string, Throughput> figures;
        figures["netdraft_fp32"] = trainerSamplesPerSecond(options, fp32, images, graph);
        figures[with] = trainerSamplesPerSecond(options, fp32, images, graph, {}, options.statisticsEvery);
        for (const auto& [name, value] : figures) {
            best[name].wall = std::max(best[name].wall, value.wall);
            best[name].cpu = std::max(best[name].cpu, value.cpu);
        }
        std::printf("round %d (samples/s of wall time | of CPU time): without %.1f | %.1f; with %.1f | %.1f; "
                    "with / without %.3f | %.3f\n",
            round + 1, figures["netdraft_fp32"].wall, figures["netdraft_fp32"].cpu, figures[with].wall,
            figures[with].cpu, figures[with].wall / figures["netdraft_fp32"].wall,
            figures[with].cpu / figures["netdraft_fp32"].cpu);
        std::printf(
            "RESULT round%d_statistics_ratio %.4f\n", round + 1, figures[with].wall / figures["netdraft_fp32"].wall);
        cpuRatios.push_back(figures[with].cpu / figures["netdraft_fp32"].cpu);
    }
    std::sort(cpuRatios.begin(), cpuRatios.end());
    const double median = cpuRatios[cpuRatios.size() / 2];
    std::printf("median of %d rounds, with / without, of CPU time: %.3f (overhead %.1f %%)\n", options.rounds, median,
        (1 - median) * 100);
    std::printf("RESULT statistics_overhead_median_cpu_ratio %.4f\n", median);
    const double wall = best[with].wall / best["netdraft_fp32"].wall;
    const double cpu = best[with].cpu / best["netdraft_fp32"].cpu;
    std::printf("best of %d rounds: with statistics every %lld batches / without %.3f of wall time | %.3f of CPU time "
                "(overhead %.1f %% | %.1f %%)\n",
        options.rounds, static_cast<long long>(options.statisticsEvery), wall, cpu, (1 - wall) * 100, (1 - cpu) * 100);
    std::printf("RESULT statistics_overhead_ratio %.4f\n", wall);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    const Options options = parse(argc, argv);
    configureThreads(options.threads);
    const std::optional<Variant> fast = fastVariant(options);
    std::printf("%s\n", cpuFastMode().description.c_str());
    if (options.shapesAccuracyEpochs > 0) {
        if (!fast)
            return 1;
        return shapesAccuracy(options, *fast);
    }
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
    const Variant fp32 { "fp32" };
    if (options.statisticsEvery > 0)
        return statisticsOverhead(options, fp32, images, graph);
    plainSamplesPerSecond(options, fp32, images, graph); // warm-up: allocator, kernels, thread pool
    if (fast)
        plainSamplesPerSecond(options, *fast, images, graph);
    // The trainer warms up too: on the GPU the first trainer run after the plain loop was the slower one
    // in every round without it (bench/README.md, "On a GPU").
    trainerSamplesPerSecond(options, fp32, images, graph);
    const bool cuda = selectDevice(options.device).is_cuda();
    std::map<std::string, Throughput> best;
    for (int round = 0; round < options.rounds; ++round) {
        std::map<std::string, Throughput> figures;
        figures["plain_fp32"] = plainSamplesPerSecond(options, fp32, images, graph);
        figures["netdraft_fp32"] = trainerSamplesPerSecond(options, fp32, images, graph);
        TrainerOptions without;
        if (cuda) { // what preparing the next batch on a helper thread gives on the GPU
            without.prefetch = false;
            figures["netdraft_fp32_without_prefetch"] = trainerSamplesPerSecond(options, fp32, images, graph, without);
        } else { // what CpuAllocationCache saves: the same trainer with LibTorch's own CPU allocator
            without.reuseCpuBuffers = false;
            figures["netdraft_fp32_without_reuse"] = trainerSamplesPerSecond(options, fp32, images, graph, without);
        }
        if (fast) {
            figures["plain_" + fast->name] = plainSamplesPerSecond(options, *fast, images, graph);
            figures["netdraft_" + fast->name] = trainerSamplesPerSecond(options, *fast, images, graph);
        }
        std::printf("round %d (samples/s of wall time | of CPU time):", round + 1);
        for (const auto& [name, value] : figures) {
            std::printf(" %s %.1f | %.1f;", name.c_str(), value.wall, value.cpu);
            best[name].wall = std::max(best[name].wall, value.wall);
            best[name].cpu = std::max(best[name].cpu, value.cpu);
        }
        std::printf(" Netdraft fp32 / plain fp32 %.3f | %.3f\n",
            figures["netdraft_fp32"].wall / figures["plain_fp32"].wall,
            figures["netdraft_fp32"].cpu / figures["plain_fp32"].cpu);
        for (const auto& [name, value] : figures) {
            std::printf("RESULT round%d_%s %.2f\n", round + 1, name.c_str(), value.wall);
            std::printf("RESULT round%d_%s_cpu %.2f\n", round + 1, name.c_str(), value.cpu);
        }
    }
    std::printf("best of %d rounds (samples/s of wall time | of CPU time):\n", options.rounds);
    for (const auto& [name, value] : best) {
        std::printf("  %-32s %9.1f (%.3f x plain fp32) | %9.1f (%.3f x plain fp32)\n", name.c_str(), value.wall,
            value.wall / best["plain_fp32"].wall, value.cpu, value.cpu / best["plain_fp32"].cpu);
        std::printf("RESULT best_%s %.2f\n", name.c_str(), value.wall);
    }
    return 0;
}
