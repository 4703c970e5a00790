// `netdraft-cli export PROJECT --format NAME --out PATH [--weights FILE]`: writes the project's
// network with trained (or, without --weights, the seeded initial) weights in a registered format
// (engine/export/ExportFormat.h). The work is engine/export/ExportService, shared with the desktop
// app's File ▸ Export.

#include "app/cli/Command.h"
#include "engine/core/Error.h"
#include "engine/export/ExportFormat.h"
#include "engine/export/ExportService.h"
#include "engine/io/ProjectFormat.h"

#include <filesystem>
#include <iostream>

namespace netdraft::app {
namespace {

using namespace netdraft::engine;

class ExportCommand : public Command {
public:
    const char* name() const override { return "export"; }
    const char* summary() const override
    {
        return "Export the network as TorchScript, ONNX, a PyTorch state dict or PyTorch code (model.py + train.py)";
    }
    void addOptions(CLI::App& subcommand) override
    {
        subcommand.add_option("PROJECT", projectPath_, "The .netdraft project file")->required();
        std::string formats;
        std::string folders;
        for (const ExportFormatInfo& format : exportFormats()) {
            formats += "\n  " + format.name + ": " + format.description;
            if (format.writesFolder())
                folders += (folders.empty() ? "" : ", ") + format.name;
        }
        subcommand.add_option("--format", format_, "One of:" + formats)
            ->check(CLI::IsMember(exportFormatNames()))
            ->required();
        subcommand.add_option("--out", out_, "Output file, or folder for " + folders)->required();
        subcommand.add_option("--weights", weights_,
            "Trained weights (state dict or Netdraft weights/checkpoint); default: the seeded "
            "initial weights");
        subcommand.add_flag("--fold-normalization", fold_,
            "torchscript, onnx: apply input scaling and mean/std inside the model (it takes raw values)");
    }

    int run() override
    {
        const std::optional<Project> loaded = loadProjectForCommand(projectPath_);
        if (!loaded)
            return kExitCannotRead;
        ExportRequest request;
        request.project = *loaded;
        request.projectDirectory = std::filesystem::path(projectPath_).parent_path().string();
        request.weightsPath = weights_;
        request.format = format_;
        request.outputPath = out_;
        request.foldNormalization = fold_;
        try {
            const ExportReport report = exportProject(request);
            for (const std::string& note : report.notes)
                std::cout << "note: " << note << "\n";
            for (const std::string& warning : report.warnings)
                std::cerr << "warning: " << warning << "\n";
            std::cout << "exported " << format_ << " to " << out_ << "\n";
            return kExitOk;
        } catch (const std::exception& error) {
            std::cerr << "error: export failed\n" << error.what() << "\n";
            return kExitFailed;
        }
    }

private:
    std::string projectPath_;
    std::string format_;
    std::string out_;
    std::string weights_;
    bool fold_ = false;
};

NETDRAFT_REGISTER_COMMAND(ExportCommand);

} // namespace
} // namespace netdraft::app
