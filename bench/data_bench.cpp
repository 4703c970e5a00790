// Data pipeline figures: reading 60,000 MNIST-sized images from an IDX file, batch assembly
// throughput with normalisation and augmentation, and peak memory while iterating a CIFAR-10-sized
// set. Writes its own files into a temporary folder; prints figures and the targets.

#include "engine/data/DataLoader.h"
#include "engine/data/IdxReader.h"
#include "engine/data/NormalizationStats.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

using namespace netdraft::engine;
using Clock = std::chrono::steady_clock;

namespace {

double millisecondsSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// Peak resident memory in MB (VmHWM), or -1 where /proc is missing.
double peakResidentMegabytes()
{
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return -1.0;
}

/// Resets VmHWM to the current RSS (Linux: write 5 to clear_refs), so later peaks are this phase's.
void resetPeakResident()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

void writeBigEndian32(std::ofstream& out, uint32_t value)
{
    const char bytes[4] = { char(value >> 24), char(value >> 16), char(value >> 8), char(value) };
    out.write(bytes, 4);
}

std::string writeMnistSizedIdx(const std::filesystem::path& folder)
{
    const std::string path = (folder / "train-images-idx3-ubyte").string();
    torch::Tensor pixels = torch::randint(0, 256, { 60000, 28, 28 }, torch::kUInt8);
    std::ofstream out(path, std::ios::binary);
    for (uint32_t field : { 0x803u, 60000u, 28u, 28u })
        writeBigEndian32(out, field);
    out.write(reinterpret_cast<const char*>(pixels.data_ptr<uint8_t>()), pixels.numel());
    return path;
}

void benchIdxLoading(const std::filesystem::path& folder)
{
    const std::string path = writeMnistSizedIdx(folder);
    double best = 1e9;
    for (int run = 0; run < 5; ++run) {
        auto start = Clock::now();
        torch::Tensor images = readIdxImages(path);
        best = std::min(best, millisecondsSince(start));
        if (images.size(0) != 60000)
            std::printf("unexpected image count %lld\n", static_cast<long long>(images.size(0)));
    }
    std::printf("IDX read, 60000 x 28x28 (47 MB):        %7.1f ms best of 5   (target < 200 ms) %s\n", best,
        best < 200 ? "ok" : "MISSED");
}

/// One epoch over `data`; returns images per second.
double epochThroughput(const InMemoryDataset& data, LoaderOptions options, int64_t* batches)
{
    DataLoader loader(data, options);
    loader.startEpoch(0);
    auto start = Clock::now();
    double checksum = 0;
    *batches = 0;
    while (auto batch = loader.next()) {
        checksum += batch->inputs[0][0][0][0].item<float>(); // touch each batch like a consumer would
        ++*batches;
    }
    double seconds = millisecondsSince(start) / 1000.0;
    return checksum == 12345.678 ? 0 : double(data.size()) / seconds;
}

void benchBatchAssembly()
{
    resetPeakResident();
    const double before = peakResidentMegabytes(); // the process without the dataset
    InMemoryDataset data;
    data.inputs = torch::randint(0, 256, { 50000, 3, 32, 32 }, torch::kUInt8);
    data.targets = torch::randint(0, 10, { 50000 }, torch::kInt64);
    data.classNames = std::vector<std::string>(10, "class");
    data.inputScale = 255.0;
    const double datasetMegabytes = double(data.inputs.nbytes() + data.targets.nbytes()) / (1024.0 * 1024.0);
    LoaderOptions options;
    options.batchSize = 128;
    options.normalization = computeNormalization(data);
    struct Case {
        const char* name;
        bool prefetch, augment;
    };
    for (Case c : { Case { "plain, no prefetch", false, false }, Case { "plain, prefetch", true, false },
             Case { "crop 4 + flip, no prefetch", false, true }, Case { "crop 4 + flip, prefetch", true, true } }) {
        options.prefetch = c.prefetch;
        options.cropPadding = c.augment ? 4 : 0;
        options.horizontalFlip = c.augment;
        int64_t batches = 0;
        double imagesPerSecond = epochThroughput(data, options, &batches);
        std::printf("batches of 128 x 3x32x32, %-27s %8.0f images/s  (%lld batches)\n", c.name, imagesPerSecond,
            static_cast<long long>(batches));
    }
    const double peak = peakResidentMegabytes();
    std::printf("peak RSS iterating 50000 x 3x32x32 uint8: %.0f MB = dataset %.0f MB + %.0f MB (before: %.0f MB)"
                "   (target: dataset + < 300 MB) %s\n",
        peak, datasetMegabytes, peak - datasetMegabytes - before, before,
        peak - datasetMegabytes - before < 300 ? "ok" : "MISSED");
}

} // namespace

int main()
{
    torch::manual_seed(1);
    const auto folder = std::filesystem::temp_directory_path() / ("netdraft-data-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(folder);
    std::printf("LibTorch threads: %d\n", torch::get_num_threads());
    benchIdxLoading(folder);
    std::filesystem::remove_all(folder);
    benchBatchAssembly();
    return 0;
}
