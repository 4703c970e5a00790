// The "image_folder" dataset: one subfolder per class holding PNG, JPEG or BMP files, decoded and
// resized to the Input block's C×H×W.

#include "engine/core/Error.h"
#include "engine/core/Shape.h"
#include "engine/data/DatasetRegistry.h"
#include "engine/data/FileBytes.h"
#include "engine/data/ImageDecoder.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace fs = std::filesystem;

namespace netdraft::engine {
namespace {

bool isImageFile(const fs::path& path)
{
    std::string extension = path.extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return extension == ".png" || extension == ".jpg" || extension == ".jpeg" || extension == ".bmp";
}

/// Sorted subfolders (the classes) and, per class, its sorted image files.
std::vector<std::pair<std::string, std::vector<fs::path>>> listClasses(const std::string& folder)
{
    std::error_code error;
    ND_CHECK(fs::is_directory(folder, error), "image folder ", folder, ": no such folder");
    std::vector<std::pair<std::string, std::vector<fs::path>>> classes;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
        if (!entry.is_directory())
            continue;
        std::vector<fs::path> files;
        for (const auto& file : fs::directory_iterator(entry.path(), error))
            if (file.is_regular_file() && isImageFile(file.path()))
                files.push_back(file.path());
        std::sort(files.begin(), files.end());
        classes.emplace_back(entry.path().filename().string(), std::move(files));
    }
    ND_CHECK(!error, "image folder ", folder, ": ", error.message());
    std::sort(classes.begin(), classes.end());
    return classes;
}

LoadedDataset loadImageFolder(const DatasetRequest& request)
{
    ND_CHECK(!request.path.empty(), "image folder: set the dataset path to a folder with one subfolder per class");
    // Without a graph to ask (e.g. a preview), images become 3×32×32.
    std::vector<int64_t> shape
        = request.expected.inputShape.empty() ? std::vector<int64_t> { 3, 32, 32 } : request.expected.inputShape;
    ND_CHECK(
        shape.size() == 3 && (shape[0] == 1 || shape[0] == 3) && shape[1] <= kMaxImageSide && shape[2] <= kMaxImageSide,
        "image folder: the Input block's shape must be C×H×W with C = 1 (grey) or 3 (RGB), got ", formatFactors(shape));
    auto classes = listClasses(request.path);
    ND_CHECK(classes.size() >= 2, "image folder ", request.path, ": needs at least 2 class subfolders, found ",
        classes.size());
    int64_t total = 0;
    for (const auto& [name, files] : classes) {
        ND_CHECK(!files.empty(), "image folder ", request.path, ": class folder '", name,
            "' holds no .png, .jpg, .jpeg or .bmp files");
        total += static_cast<int64_t>(files.size());
    }

    InMemoryDataset data;
    data.inputs = torch::empty({ total, shape[0], shape[1], shape[2] }, torch::kUInt8);
    data.targets = torch::empty({ total }, torch::kInt64);
    const int64_t sampleBytes = shape[0] * shape[1] * shape[2];
    int64_t index = 0;
    for (size_t label = 0; label < classes.size(); ++label) {
        data.classNames.push_back(classes[label].first);
        for (const auto& file : classes[label].second) {
            FileBytes bytes = readFileBytes(file.string(), uint64_t(256) << 20);
            decodeImageInto(bytes.bytes, file.string(), static_cast<int>(shape[0]), shape[1], shape[2],
                data.inputs.data_ptr<uint8_t>() + index * sampleBytes);
            data.targets.data_ptr<int64_t>()[index++] = static_cast<int64_t>(label);
        }
    }
    data.inputScale = 255.0;
    fs::path folder(request.path);
    std::string folderName = (folder.has_filename() ? folder : folder.parent_path()).filename().string();
    data.description = "Image folder " + folderName + ", " + std::to_string(total) + " samples, " + formatFactors(shape)
        + ", " + std::to_string(classes.size()) + " classes";
    return { data, std::nullopt };
}

/// A folder with at least one subfolder holding an image: the loader then says what else is missing
/// (a second class, images in every class).
bool holdsClassFolders(const std::string& path)
{
    std::error_code error;
    if (!fs::is_directory(path, error))
        return false;
    try {
        for (const auto& entry : fs::directory_iterator(path)) {
            if (!entry.is_directory(error))
                continue;
            for (const auto& file : fs::directory_iterator(entry.path()))
                if (file.is_regular_file(error) && isImageFile(file.path()))
                    return true;
        }
    } catch (const fs::filesystem_error&) { // an unreadable folder is not a dataset
    }
    return false;
}

NETDRAFT_REGISTER_DATASET(
    "image_folder", 150, loadImageFolder, DatasetFiles { "a folder of class folders", holdsClassFolders });

} // namespace
} // namespace netdraft::engine
