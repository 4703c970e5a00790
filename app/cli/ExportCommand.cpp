// `netdraft-cli export PROJECT --format torchscript|state_dict|python --out PATH [--weights FILE]`:
// writes the project's network with trained (or, without --weights, the seeded initial) weights.

#include "app/cli/Command.h"
#include "engine/data/PreparedData.h"
#include "engine/export/PythonModelExport.h"
#include "engine/export/PythonTrainExport.h"
#include "engine/export/StateDict.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/export/WeightsImport.h"
#include "engine/io/AtomicFile.h"
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
        return "Export the network as TorchScript, a PyTorch state dict or PyTorch code (model.py + train.py)";
    }
    void addOptions(CLI::App& subcommand) override
    {
        subcommand.add_option("PROJECT", projectPath_, "The .netdraft project file")->required();
        subcommand.add_option("--format", format_, "torchscript, state_dict or python")
            ->check(CLI::IsMember({ "torchscript", "state_dict", "python" }))
            ->required();
        subcommand.add_option("--out", out_, "Output file (torchscript, state_dict) or folder (python)")->required();
        subcommand.add_option("--weights", weights_,
            "Trained weights (state dict or Netdraft weights/checkpoint); default: the seeded "
            "initial weights");
        subcommand.add_flag("--fold-normalization", fold_,
            "torchscript: apply input scaling and mean/std inside the module (it takes raw values)");
    }

    int run() override
    {
        Project project;
        try {
            project = loadProjectFile(projectPath_);
        } catch (const Error& error) {
            std::cerr << "error: cannot load the project\n" << error.what() << "\n";
            return kExitCannotRead;
        }
        try {
            GraphModel model = buildModel(project.graph, static_cast<uint64_t>(project.training.seed));
            if (weights_.empty()) {
                std::cout << "note: no --weights given: exporting the seeded initial (untrained) weights\n";
            } else {
                importWeightsFile(*model, weights_);
                std::cout << "weights: " << weights_ << "\n";
            }
            model->eval();
            ExportMetadata metadata = metadataFromGraph(project.graph);
            metadata.projectName = project.name;
            std::optional<PreparedData> data = loadData(project, metadata);
            if (format_ == "torchscript")
                exportTorchScriptFile(project, *model, metadata);
            else if (format_ == "state_dict")
                exportStateDict(*model, out_);
            else
                exportPython(project, *model, metadata, data);
            std::cout << "exported " << format_ << " to " << out_ << "\n";
            return kExitOk;
        } catch (const std::exception& error) {
            std::cerr << "error: export failed\n" << error.what() << "\n";
            return kExitFailed;
        }
    }

private:
    /// Class names and normalisation come from the dataset; without it the export still works.
    std::optional<PreparedData> loadData(const Project& project, ExportMetadata& metadata) const
    {
        ExpectedData expected;
        expected.inputShape = metadata.inputShape;
        expected.classification = metadata.task == "classification";
        const InferenceResult inference = inferShapes(project.graph);
        if (const BlockInference* output = inference.find(inference.outputBlock); output && output->output)
            expected.outputSize = output->output->back();
        const std::string folder = std::filesystem::path(projectPath_).parent_path().string();
        try {
            PreparedData data = prepareData(project.dataset, folder, expected);
            metadata.classNames = data.train.classNames;
            metadata.inputScale = data.train.inputScale;
            metadata.mean = data.normalization.mean;
            metadata.std = data.normalization.std;
            return data;
        } catch (const std::exception& error) {
            std::cerr << "warning: the dataset could not be loaded, so class names and input normalisation are "
                         "not exported:\n  "
                      << error.what() << "\n";
            return std::nullopt;
        }
    }

    void exportTorchScriptFile(const Project& project, GraphModelImpl& model, const ExportMetadata& metadata) const
    {
        TorchScriptExportOptions options;
        options.foldNormalization = fold_ && !metadata.mean.empty();
        if (fold_ && metadata.mean.empty())
            std::cout << "note: the project has no input normalisation to fold\n";
        exportTorchScript(project.graph, model, metadata, out_, options);
    }

    void exportPython(const Project& project, GraphModelImpl& model, const ExportMetadata& metadata,
        const std::optional<PreparedData>& data) const
    {
        const std::filesystem::path folder(out_);
        std::filesystem::create_directories(folder);
        writeFileAtomically((folder / "model.py").string(), pythonModelSource(project.graph, metadata));
        exportStateDict(model, (folder / "weights.pt").string());
        writeFileAtomically((folder / "netdraft.json").string(), metadata.toJson());
        writeFileAtomically((folder / "train.py").string(), pythonTrainSource(project.training));
        if (data) {
            writeFileAtomically((folder / "data.pt").string(), trainingDataArchive(data->train, data->validation));
            std::cout << "data.pt: " << data->train.size() << " training and " << data->validation.size()
                      << " validation samples\n";
        } else {
            std::cout << "note: no data.pt written; train.py needs one (--data)\n";
        }
    }

    std::string projectPath_;
    std::string format_;
    std::string out_;
    std::string weights_;
    bool fold_ = false;
};

NETDRAFT_REGISTER_COMMAND(ExportCommand);

} // namespace
} // namespace netdraft::app
