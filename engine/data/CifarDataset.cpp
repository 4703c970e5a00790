// The "cifar10" and "cifar100" datasets: binary batch files in one folder (or in the folder the
// official archives unpack to), with their own test batch.

#include "engine/core/Error.h"
#include "engine/data/CifarReader.h"
#include "engine/data/DatasetRegistry.h"
#include "engine/data/FileBytes.h"

#include <filesystem>
#include <fstream>

namespace netdraft::engine {
namespace {

const std::vector<std::string> kCifar10Names { "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
    "ship", "truck" };

/// `folder`, or its subfolder `archiveFolder` when the files are there instead.
std::string batchFolder(const std::string& folder, const std::string& archiveFolder, const std::string& probe)
{
    if (findFile(folder, { probe }).empty() && !findFile(folder + "/" + archiveFolder, { probe }).empty())
        return folder + "/" + archiveFolder;
    return folder;
}

/// Non-empty lines of `path` when it holds exactly `count` of them, else `fallback`.
std::vector<std::string> classNames(const std::string& path, int64_t count, std::vector<std::string> fallback)
{
    std::ifstream in(path);
    std::vector<std::string> names;
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.pop_back();
        if (!line.empty())
            names.push_back(line);
    }
    return static_cast<int64_t>(names.size()) == count ? names : fallback;
}

std::vector<std::string> numberedNames(int64_t count)
{
    std::vector<std::string> names;
    for (int64_t k = 0; k < count; ++k)
        names.push_back("class " + std::to_string(k));
    return names;
}

InMemoryDataset fromBatches(const std::vector<std::string>& files, int64_t classes, int64_t coarseClasses,
    std::vector<std::string> names, const std::string& title)
{
    std::vector<torch::Tensor> images, labels;
    for (const auto& file : files) {
        CifarRecords records = readCifarBatch(file, classes, coarseClasses);
        images.push_back(records.images);
        labels.push_back(records.labels);
    }
    InMemoryDataset data;
    data.inputs = images.size() == 1 ? images[0] : torch::cat(images);
    data.targets = labels.size() == 1 ? labels[0] : torch::cat(labels);
    data.classNames = std::move(names);
    data.inputScale = 255.0;
    data.description
        = title + ", " + std::to_string(data.size()) + " samples, 3×32×32, " + std::to_string(classes) + " classes";
    return data;
}

LoadedDataset loadCifar10(const DatasetRequest& request)
{
    ND_CHECK(!request.path.empty(), "CIFAR-10: set the dataset path to the folder holding data_batch_1.bin");
    std::string folder = batchFolder(request.path, "cifar-10-batches-bin", "data_batch_1.bin");
    std::vector<std::string> trainFiles;
    for (int k = 1; k <= 5; ++k)
        if (std::string file = findFile(folder, { "data_batch_" + std::to_string(k) + ".bin" }); !file.empty())
            trainFiles.push_back(file);
    ND_CHECK(!trainFiles.empty(), "CIFAR-10: ", request.path, " holds no data_batch_1.bin … data_batch_5.bin");
    auto names = classNames(folder + "/batches.meta.txt", 10, kCifar10Names);
    LoadedDataset loaded { fromBatches(trainFiles, 10, 0, names, "CIFAR-10"), std::nullopt };
    if (std::string test = findFile(folder, { "test_batch.bin" }); !test.empty())
        loaded.test = fromBatches({ test }, 10, 0, names, "CIFAR-10");
    return loaded;
}

LoadedDataset loadCifar100(const DatasetRequest& request)
{
    ND_CHECK(!request.path.empty(), "CIFAR-100: set the dataset path to the folder holding train.bin");
    std::string folder = batchFolder(request.path, "cifar-100-binary", "train.bin");
    std::string train = findFile(folder, { "train.bin" });
    ND_CHECK(!train.empty(), "CIFAR-100: ", request.path, " holds no train.bin");
    // The fine labels (100 classes) are the targets; the coarse ones are still checked.
    auto names = classNames(folder + "/fine_label_names.txt", 100, numberedNames(100));
    LoadedDataset loaded { fromBatches({ train }, 100, 20, names, "CIFAR-100"), std::nullopt };
    if (std::string test = findFile(folder, { "test.bin" }); !test.empty())
        loaded.test = fromBatches({ test }, 100, 20, names, "CIFAR-100");
    return loaded;
}

/// A folder holding data_batch_1.bin, directly or in the folder the official archive unpacks to.
bool holdsCifar10(const std::string& path)
{
    return !findFile(batchFolder(path, "cifar-10-batches-bin", "data_batch_1.bin"), { "data_batch_1.bin" }).empty();
}

/// A folder holding train.bin, directly or in cifar-100-binary.
bool holdsCifar100(const std::string& path)
{
    return !findFile(batchFolder(path, "cifar-100-binary", "train.bin"), { "train.bin" }).empty();
}

NETDRAFT_REGISTER_DATASET(
    "cifar10", 130, loadCifar10, DatasetFiles { "CIFAR-10 binary batches (data_batch_1.bin …)", holdsCifar10 });
NETDRAFT_REGISTER_DATASET(
    "cifar100", 140, loadCifar100, DatasetFiles { "CIFAR-100 binary batches (train.bin …)", holdsCifar100 });

} // namespace
} // namespace netdraft::engine
