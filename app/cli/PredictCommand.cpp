// `netdraft-cli predict MODEL.pt INPUT`: runs an exported TorchScript file on an image (PNG, JPEG,
// BMP) or a CSV row and prints the class probabilities with the class names from its metadata.

#include "app/cli/Command.h"
#include "engine/core/Error.h"
#include "engine/data/ImageDecoder.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/io/ZipContainerCheck.h"
#include "engine/io/AtomicFile.h"

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;

constexpr uint64_t kMaxInputBytes = 256ull * 1024 * 1024;

/// The numbers of a CSV row: the INPUT text itself ("0.1,2,3") or the last numeric line of a file.
std::vector<double> csvRow(const std::string& input)
{
    std::string text = input;
    if (std::filesystem::is_regular_file(input))
        text = readFileLimited(input, kMaxInputBytes);
    std::vector<double> row;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        std::vector<double> values;
        std::istringstream cells(line);
        bool numeric = true;
        for (std::string cell; std::getline(cells, cell, ',');) {
            try {
                size_t used = 0;
                values.push_back(std::stod(cell, &used));
                numeric = numeric && cell.find_first_not_of(" \t\r", used) == std::string::npos;
            } catch (const std::exception&) {
                numeric = false;
            }
        }
        if (numeric && !values.empty())
            row = values; // a header or blank line is skipped
    }
    ND_CHECK(!row.empty(), input, ": no numeric CSV row found");
    return row;
}

class PredictCommand : public Command {
public:
    const char* name() const override { return "predict"; }
    const char* summary() const override
    {
        return "Run an exported TorchScript model on an image or a CSV row and print class probabilities";
    }
    void addOptions(CLI::App& subcommand) override
    {
        subcommand.add_option("MODEL", modelPath_, "TorchScript file exported by Netdraft")->required();
        subcommand.add_option("INPUT", input_, "Image file (PNG, JPEG, BMP), CSV file, or a row like 0.5,1,2")
            ->required();
        subcommand.add_option("--top", top_, "How many classes to print (default: all)");
    }

    int run() override
    {
        try {
            const std::string bytes = readFileLimited(modelPath_, kMaxPtFileBytes);
            // TorchScript is code: say what is about to be loaded before LibTorch runs any of it.
            const PtArchiveContents contents = checkPtArchive(bytes, PtArchiveKind::TorchScript, modelPath_);
            std::cout << "Loading TorchScript " << modelPath_ << " (" << bytes.size() << " bytes, archive '"
                      << contents.archiveName << "', " << contents.entries.size()
                      << " entries). TorchScript is code: only run files you trust.\n";
            LoadedTorchScript loaded = loadTorchScriptArchive(bytes, modelPath_);
            ND_CHECK(loaded.metadata, modelPath_, ": no extra/netdraft.json metadata (not exported by Netdraft?)");
            const ExportMetadata& metadata = *loaded.metadata;
            torch::NoGradGuard noGrad;
            const torch::Tensor output = loaded.module.forward({ prepareInput(metadata) }).toTensor();
            print(output, metadata);
            return kExitOk;
        } catch (const std::exception& error) {
            std::cerr << "error: " << error.what() << "\n";
            return kExitFailed;
        }
    }

private:
    torch::Tensor prepareInput(const ExportMetadata& metadata) const
    {
        const std::vector<int64_t>& shape = metadata.inputShape;
        torch::Tensor raw;
        if (shape.size() == 3 && !std::filesystem::path(input_).extension().empty()
            && std::filesystem::path(input_).extension() != ".csv") {
            const std::string text = readFileLimited(input_, kMaxInputBytes);
            const std::vector<uint8_t> bytes(text.begin(), text.end());
            ND_CHECK(shape[0] == 1 || shape[0] == 3, "the model expects ", shape[0], " channels; images give 1 or 3");
            raw = torch::empty(shape, torch::kUInt8);
            decodeImageInto(bytes, input_, static_cast<int>(shape[0]), shape[1], shape[2], raw.data_ptr<uint8_t>());
            raw = raw.to(torch::kFloat32);
        } else {
            const std::vector<double> row = csvRow(input_);
            int64_t expected = 1;
            for (int64_t size : shape)
                expected *= size;
            ND_CHECK(static_cast<int64_t>(row.size()) == expected, input_, ": the row has ", row.size(),
                " values, the model expects ", expected);
            raw = torch::tensor(row, torch::kFloat64).to(torch::kFloat32).reshape(shape);
        }
        raw = raw.unsqueeze(0);
        if (metadata.inputDtype == "int64")
            return raw.to(torch::kInt64);
        if (metadata.normalizationFolded)
            return raw; // the module scales and normalises itself
        torch::Tensor x = raw / metadata.inputScale;
        if (!metadata.mean.empty()) {
            std::vector<int64_t> broadcast(shape.size() + 1, 1);
            broadcast[1] = static_cast<int64_t>(metadata.mean.size());
            x = (x - torch::tensor(metadata.mean).to(torch::kFloat32).reshape(broadcast))
                / torch::tensor(metadata.std).to(torch::kFloat32).reshape(broadcast);
        }
        return x;
    }

    void print(const torch::Tensor& output, const ExportMetadata& metadata) const
    {
        if (metadata.task != "classification" || output.dim() != 2) {
            std::cout << "output " << output.sizes() << ":\n" << output << "\n";
            return;
        }
        const torch::Tensor probabilities = torch::softmax(output[0].to(torch::kFloat64), 0);
        std::vector<std::pair<double, int64_t>> ranked;
        for (int64_t i = 0; i < probabilities.size(0); ++i)
            ranked.emplace_back(probabilities[i].item<double>(), i);
        std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
        const size_t shown = top_ > 0 ? std::min<size_t>(top_, ranked.size()) : ranked.size();
        for (size_t i = 0; i < shown; ++i) {
            const int64_t index = ranked[i].second;
            const std::string name = index < static_cast<int64_t>(metadata.classNames.size())
                ? metadata.classNames[index]
                : "class " + std::to_string(index);
            std::cout << std::setw(8) << std::fixed << std::setprecision(4) << ranked[i].first << "  " << name << "\n";
        }
    }

    std::string modelPath_;
    std::string input_;
    size_t top_ = 0;
};

NETDRAFT_REGISTER_COMMAND(PredictCommand);

} // namespace
} // namespace netdraft::app
