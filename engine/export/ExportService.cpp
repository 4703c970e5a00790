#include "engine/export/ExportService.h"

#include "engine/core/Error.h"
#include "engine/data/PreparedData.h"
#include "engine/export/PythonModelExport.h"
#include "engine/export/PythonTrainExport.h"
#include "engine/export/StateDict.h"
#include "engine/export/TorchScriptExport.h"
#include "engine/export/WeightsImport.h"
#include "engine/inference/ShapeInference.h"
#include "engine/io/AtomicFile.h"

#include <filesystem>

namespace netdraft::engine {
namespace {

/// Class names and normalisation come from the dataset; without it the export still works.
std::optional<PreparedData> loadData(const ExportRequest& request, ExportMetadata& metadata, ExportReport& report)
{
    ExpectedData expected;
    expected.inputShape = metadata.inputShape;
    expected.classification = metadata.task == "classification";
    const InferenceResult inference = inferShapes(request.project.graph);
    if (const BlockInference* output = inference.find(inference.outputBlock); output && output->output)
        expected.outputSize = output->output->back();
    try {
        PreparedData data = prepareData(request.project.dataset, request.projectDirectory, expected);
        metadata.classNames = data.train.classNames;
        metadata.inputScale = data.train.inputScale;
        metadata.mean = data.normalization.mean;
        metadata.std = data.normalization.std;
        return data;
    } catch (const std::exception& error) {
        report.warnings.push_back(
            std::string("the dataset could not be loaded, so class names and input normalisation are not exported: ")
            + error.what());
        return std::nullopt;
    }
}

void writePythonFolder(const ExportRequest& request, GraphModelImpl& model, const ExportMetadata& metadata,
    const std::optional<PreparedData>& data, ExportReport& report)
{
    const std::filesystem::path folder(request.outputPath);
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    ND_CHECK(!error, "cannot create the folder ", request.outputPath, ": ", error.message());
    auto write = [&](const std::string& name, const std::string& bytes) {
        const std::string path = (folder / name).string();
        writeFileAtomically(path, bytes);
        report.files.push_back(path);
    };
    write("model.py", pythonModelSource(request.project.graph, metadata));
    exportStateDict(model, (folder / "weights.pt").string());
    report.files.push_back((folder / "weights.pt").string());
    write("netdraft.json", metadata.toJson());
    write("train.py", pythonTrainSource(request.project.training));
    if (data) {
        write("data.pt", trainingDataArchive(data->train, data->validation));
        report.notes.push_back("data.pt: " + std::to_string(data->train.size()) + " training and "
            + std::to_string(data->validation.size()) + " validation samples");
    } else {
        report.notes.push_back("no data.pt written; train.py needs one (--data)");
    }
}

ExportReport runExport(const ExportRequest& request)
{
    ND_CHECK(!request.outputPath.empty(), "export: no output path given");
    ExportReport report;
    GraphModel model = buildModel(request.project.graph, static_cast<uint64_t>(request.project.training.seed));
    if (request.weightsPath.empty()) {
        report.notes.push_back("no weights given: exporting the seeded initial (untrained) weights");
    } else {
        importWeightsFile(*model, request.weightsPath);
        report.notes.push_back("weights: " + request.weightsPath);
    }
    model->eval();
    ExportMetadata metadata = metadataFromGraph(request.project.graph);
    metadata.projectName = request.project.name;
    std::optional<PreparedData> data = loadData(request, metadata, report);
    switch (request.format) {
    case ExportFormat::TorchScript: {
        TorchScriptExportOptions options;
        options.foldNormalization = request.foldNormalization && !metadata.mean.empty();
        if (request.foldNormalization && metadata.mean.empty())
            report.notes.push_back("the project has no input normalisation to fold");
        exportTorchScript(request.project.graph, *model, metadata, request.outputPath, options);
        report.files.push_back(request.outputPath);
        break;
    }
    case ExportFormat::StateDict:
        exportStateDict(*model, request.outputPath);
        report.files.push_back(request.outputPath);
        break;
    case ExportFormat::Python:
        writePythonFolder(request, *model, metadata, data, report);
        break;
    }
    return report;
}

} // namespace

ExportFormat parseExportFormat(const std::string& word)
{
    if (word == "torchscript")
        return ExportFormat::TorchScript;
    if (word == "state_dict")
        return ExportFormat::StateDict;
    ND_CHECK(word == "python", "export format must be torchscript, state_dict or python, got '", word, "'");
    return ExportFormat::Python;
}

ExportReport exportProject(const ExportRequest& request)
{
    try {
        return runExport(request);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& error) {
        // LibTorch and the file system throw their own types; the callers catch one.
        throw Error("export to " + request.outputPath + " failed: " + error.what());
    }
}

} // namespace netdraft::engine
