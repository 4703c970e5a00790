// The "mnist" and "fashion_mnist" datasets: IDX files in one folder, with their own t10k test set.

#include "engine/core/Error.h"
#include "engine/data/DatasetRegistry.h"
#include "engine/data/FileBytes.h"
#include "engine/data/IdxReader.h"

namespace netdraft::engine {
namespace {

const std::vector<std::string> kDigitNames { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };
const std::vector<std::string> kFashionNames { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
    "Sneaker", "Bag", "Ankle boot" };

/// The IDX file for `prefix` ("train" or "t10k") and `what` ("images-idx3" or "labels-idx1"), under
/// both spellings in circulation.
std::string idxFile(const std::string& folder, const std::string& prefix, const std::string& what)
{
    std::string dashed = prefix + "-" + what + "-ubyte";
    std::string dotted
        = prefix + "-" + what.substr(0, what.find('-')) + "." + what.substr(what.find('-') + 1) + "-ubyte";
    return findFile(folder, { dashed, dotted });
}

InMemoryDataset readPart(const std::string& images, const std::string& labels, const std::vector<std::string>& names,
    const std::string& title)
{
    InMemoryDataset data;
    data.inputs = readIdxImages(images);
    data.targets = readIdxLabels(labels, static_cast<int64_t>(names.size()));
    ND_CHECK(data.inputs.size(0) == data.targets.size(0), images, " holds ", data.inputs.size(0), " images but ",
        labels, " holds ", data.targets.size(0), " labels");
    data.classNames = names;
    data.inputScale = 255.0;
    data.description = title + ", " + std::to_string(data.size()) + " samples, 1×" + std::to_string(data.inputs.size(2))
        + "×" + std::to_string(data.inputs.size(3)) + ", 10 classes";
    return data;
}

LoadedDataset loadIdxFolder(
    const DatasetRequest& request, const std::vector<std::string>& names, const std::string& title)
{
    const std::string& folder = request.path;
    ND_CHECK(!folder.empty(), title, ": set the dataset path to the folder holding train-images-idx3-ubyte(.gz)");
    std::string trainImages = idxFile(folder, "train", "images-idx3");
    std::string trainLabels = idxFile(folder, "train", "labels-idx1");
    ND_CHECK(!trainImages.empty() && !trainLabels.empty(), title, ": ", folder,
        " holds no train-images-idx3-ubyte and train-labels-idx1-ubyte (plain or .gz)");
    LoadedDataset loaded { readPart(trainImages, trainLabels, names, title), std::nullopt };
    std::string testImages = idxFile(folder, "t10k", "images-idx3");
    std::string testLabels = idxFile(folder, "t10k", "labels-idx1");
    if (!testImages.empty() && !testLabels.empty())
        loaded.test = readPart(testImages, testLabels, names, title);
    return loaded;
}

LoadedDataset loadMnist(const DatasetRequest& request)
{
    return loadIdxFolder(request, kDigitNames, "MNIST");
}

LoadedDataset loadFashionMnist(const DatasetRequest& request)
{
    return loadIdxFolder(request, kFashionNames, "Fashion-MNIST");
}

/// A folder holding the training images and labels. MNIST and Fashion-MNIST files look alike: both
/// kinds recognise them, and detection keeps the project's kind or takes the first (mnist).
bool holdsIdxFiles(const std::string& folder)
{
    return !idxFile(folder, "train", "images-idx3").empty() && !idxFile(folder, "train", "labels-idx1").empty();
}

const DatasetFiles kIdxFiles { "MNIST IDX files (train-images-idx3-ubyte …)", holdsIdxFiles };

NETDRAFT_REGISTER_DATASET("mnist", 110, loadMnist, kIdxFiles);
NETDRAFT_REGISTER_DATASET("fashion_mnist", 120, loadFashionMnist, kIdxFiles);

} // namespace
} // namespace netdraft::engine
