// netdraft_dump_training_order PROJECT FOLDER EPOCHS: what Netdraft's trainer feeds a project's
// network, for the Python DDP comparison in test_distributed.py. Writes into FOLDER:
//   inputs.bin   the training part's model-ready inputs (float32, normalised), in dataset order
//   targets.bin  its targets (int64 class indexes)
//   orders.bin   each epoch's shuffled order of the training part (int64, EPOCHS × samples)
//   shape.json   {"samples": N, "sample_shape": [...], "epochs": E}
// The orders come from the trainer's own loader (shuffled with the training seed) run over sample
// indexes, so Python shards exactly the global batches Netdraft's ranks share.

#include "engine/data/PreparedData.h"
#include "engine/io/ProjectFormat.h"
#include "engine/network/CompiledNetwork.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

namespace {

using namespace netdraft::engine;

void writeTensor(const std::filesystem::path& path, const torch::Tensor& tensor)
{
    const torch::Tensor flat = tensor.contiguous();
    std::ofstream out(path, std::ios::binary);
    out.write(static_cast<const char*>(flat.data_ptr()), static_cast<std::streamsize>(flat.nbytes()));
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

/// The whole training part through one unshuffled batch: the inputs as the trainer's loader makes them.
Batch modelReadyTrainingPart(const PreparedData& data)
{
    LoaderOptions options;
    options.batchSize = data.train.size();
    options.shuffle = false;
    options.normalization = data.normalization;
    options.prefetch = false;
    DataLoader loader(data.train, options);
    loader.startEpoch(0);
    return *loader.next();
}

/// Epoch `epoch`'s order: the trainer's loader (shuffle on, the training seed) over sample indexes.
torch::Tensor epochOrder(int64_t samples, uint64_t seed, int64_t epoch)
{
    InMemoryDataset indexes;
    indexes.inputs = torch::arange(samples, torch::kFloat32).view({ samples, 1 });
    indexes.targets = torch::arange(samples, torch::kInt64);
    LoaderOptions options;
    options.batchSize = samples;
    options.shuffle = true;
    options.seed = seed;
    options.prefetch = false;
    DataLoader loader(indexes, options);
    loader.startEpoch(epoch);
    return loader.next()->targets;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 4) {
        std::cerr << "usage: netdraft_dump_training_order PROJECT FOLDER EPOCHS\n";
        return 2;
    }
    try {
        const std::string projectPath = argv[1];
        const std::filesystem::path folder = argv[2];
        const int64_t epochs = std::stoll(argv[3]);
        const Project project = loadProjectFile(projectPath);
        const CompiledNetwork network = CompiledNetwork::compile(project);
        const PreparedData data = prepareData(
            project.dataset, std::filesystem::absolute(projectPath).parent_path().string(), expectedData(network));
        std::filesystem::create_directories(folder);
        const Batch part = modelReadyTrainingPart(data);
        writeTensor(folder / "inputs.bin", part.inputs.to(torch::kFloat32));
        writeTensor(folder / "targets.bin", part.targets.to(torch::kInt64));
        std::vector<torch::Tensor> orders;
        for (int64_t epoch = 0; epoch < epochs; ++epoch)
            orders.push_back(epochOrder(data.train.size(), static_cast<uint64_t>(project.training.seed), epoch));
        writeTensor(folder / "orders.bin", torch::stack(orders));
        std::ofstream shape(folder / "shape.json");
        shape << "{\"samples\": " << data.train.size() << ", \"sample_shape\": [";
        const std::vector<int64_t> sampleShape = data.train.sampleShape();
        for (size_t i = 0; i < sampleShape.size(); ++i)
            shape << (i ? ", " : "") << sampleShape[i];
        shape << "], \"epochs\": " << epochs << "}\n";
        return shape ? 0 : 1;
    } catch (const std::exception& error) {
        std::cerr << "error: " << error.what() << "\n";
        return 1;
    }
}
