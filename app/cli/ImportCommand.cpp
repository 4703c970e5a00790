// `netdraft-cli import MODEL --out PROJECT.netdraft [--input-shape 3,224,224] [--format NAME]
// [--keep-unsupported] [--as-graph]`: opens a model made elsewhere (a registered import format,
// engine/import/ImportFormat.h) as an editable project, with its weights in PROJECT.weights.pt beside it
// as the project's starting weights; a model Netdraft exported opens as the project it came from. The
// work is engine/import/ImportService, which the desktop app can call too.

#include "app/cli/Command.h"
#include "engine/core/Error.h"
#include "engine/import/ImportFormat.h"
#include "engine/import/ImportService.h"

#include <filesystem>
#include <iostream>
#include <sstream>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;

/// "3,224,224" or "3x224x224" → {3, 224, 224}; throws Error for anything else.
std::vector<int64_t> parseShape(const std::string& text)
{
    std::vector<int64_t> shape;
    std::string part;
    std::istringstream parts(text);
    while (std::getline(parts, part, text.find('x') != std::string::npos ? 'x' : ',')) {
        size_t used = 0;
        int64_t size = 0;
        try {
            size = std::stoll(part, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        ND_CHECK(
            used == part.size() && size >= 1, "--input-shape: expected sizes ≥ 1 like 3,224,224, got '", text, "'");
        shape.push_back(size);
    }
    ND_CHECK(!shape.empty(), "--input-shape: expected sizes like 3,224,224, got '", text, "'");
    return shape;
}

class ImportCommand : public Command {
public:
    const char* name() const override { return "import"; }
    const char* summary() const override
    {
        return "Open a model made elsewhere (a format of --format, chosen by the file's suffix) as a project with its "
               "weights";
    }
    void addOptions(CLI::App& subcommand) override
    {
        std::string formats;
        for (const ImportFormatInfo& format : importFormats()) {
            std::string suffixes;
            for (const std::string& suffix : format.suffixes)
                suffixes += (suffixes.empty() ? "" : ", ") + suffix;
            formats += "\n  " + format.name + " (" + suffixes + "): " + format.description;
        }
        subcommand.add_option("MODEL", model_, "The model file")->required();
        subcommand
            .add_option(
                "--out", out_, "The project to write (.netdraft); its starting weights go beside it as NAME.weights.pt")
            ->required();
        subcommand.add_option("--input-shape", inputShape_,
            "One input sample's shape without the batch dimension, e.g. 3,224,224; needed when the file does not "
            "say it (TorchScript, unless the first layer is a Linear)");
        subcommand.add_option("--format", format_, "Default: from the file's suffix. One of:" + formats)
            ->check(CLI::IsMember(importFormatNames()));
        subcommand.add_flag("--flat", flat_, "Do not group repeated modules into composite blocks");
        subcommand.add_flag("--keep-unsupported", keepUnsupported_,
            "Keep operators that have no block as opaque blocks (op type, node name, attributes and shapes), "
            "which stop training and export until replaced; without it such operators stop the import with "
            "their list");
        subcommand.add_flag("--as-graph", asGraph_,
            "For a model Netdraft exported: import its network like any other model's instead of opening the "
            "project it was exported from");
    }

    int run() override
    {
        ImportRequest request;
        request.modelPath = model_;
        request.format = format_;
        request.projectPath = out_;
        request.groupModules = !flat_;
        request.keepUnsupported = keepUnsupported_;
        request.restoreProject = !asGraph_;
        try {
            if (!inputShape_.empty())
                request.inputShape = parseShape(inputShape_);
            const ImportFormatInfo* format = format_.empty() ? importFormatForFile(model_) : &importFormat(format_);
            if (format && format->runsCode)
                std::cout << "Loading " << format->title << " " << model_
                          << ". TorchScript is code: only open files you trust.\n";
            const ImportReport report = importModel(request);
            print(report);
            return kExitOk;
        } catch (const std::exception& error) {
            std::cerr << "error: " << error.what() << "\n";
            return kExitFailed;
        }
    }

private:
    static void print(const ImportReport& report)
    {
        int blocks = 0;
        for (const auto& [type, count] : report.blockCounts)
            blocks += count;
        if (report.restoredProject)
            std::cout << "Opened project \u201c" << report.project.name << "\u201d: " << blocks << " blocks";
        else
            std::cout << "Imported " << blocks << " blocks";
        if (report.compositeInstances > 0)
            std::cout << " (" << report.compositeInstances << " composite blocks, "
                      << report.project.graph.composites().size() << " definitions)";
        std::cout << ", " << report.parameterCount << " parameters:\n";
        for (const auto& [type, count] : report.blockCounts)
            std::cout << "  " << type << " " << count << "\n";
        for (const std::string& note : report.notes)
            std::cout << "note: " << note << "\n";
        std::cout << "Wrote " << report.projectPath << " and its starting weights " << report.weightsPath << "\n";
    }

    std::string model_;
    std::string out_;
    std::string inputShape_;
    std::string format_;
    bool flat_ = false;
    bool keepUnsupported_ = false;
    bool asGraph_ = false;
};

NETDRAFT_REGISTER_COMMAND(ImportCommand);

} // namespace
} // namespace netdraft::app
