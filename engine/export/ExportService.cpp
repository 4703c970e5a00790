#include "engine/export/ExportService.h"

#include "engine/core/Error.h"
#include "engine/export/ExportFormatRegistry.h"
#include "engine/io/ProjectFormat.h"
#include "engine/train/FineTuning.h"
#include "engine/train/WeightsImport.h"

#include <filesystem>

namespace netdraft::engine {
namespace {

/// Class names and normalisation come from the dataset; without it the export still works.
std::optional<PreparedData> loadData(
    const ExportRequest& request, const CompiledNetwork& network, ExportMetadata& metadata, ExportReport& report)
{
    try {
        PreparedData data = prepareData(request.project.dataset, request.projectDirectory, expectedData(network));
        metadata.classNames = data.train.classNames;
        metadata.vocabulary = data.train.vocabulary;
        if (!metadata.vocabulary.empty())
            metadata.textUnit = request.project.dataset.textUnit;
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

ExportReport runExport(const ExportRequest& request)
{
    ND_CHECK(!request.outputPath.empty(), "export: no output path given");
    const ExportWriter& writer = ExportFormatRegistry::instance().writer(request.format);
    ExportReport report;
    const CompiledNetwork network = CompiledNetwork::compile(request.project);
    GraphModel model = buildModel(network, static_cast<uint64_t>(request.project.training.seed));
    if (request.weightsPath.empty() && !request.project.initialWeights.empty()) {
        const std::string path = resolveProjectFile(request.projectDirectory, request.project.initialWeights);
        const WeightsMismatch left = importMatchingWeightsFile(*model, path);
        report.notes.push_back(exportWeightsSource(request) + ": " + path);
        if (!left.empty())
            report.warnings.push_back("blocks changed since the starting weights were written keep their seeded "
                                      "initial weights:"
                + left.toString());
    } else {
        if (!request.weightsPath.empty())
            importWeightsFile(*model, request.weightsPath);
        report.notes.push_back(exportWeightsSource(request));
    }
    model->eval();
    ExportMetadata metadata = metadataOf(network);
    metadata.projectName = request.project.name;
    // The project goes along, so that importing the export opens it again; its weights are the file's own.
    Project embedded = request.project;
    embedded.initialWeights.clear();
    metadata.project = serializeProject(embedded);
    // The project's folder goes along only where a relative dataset path needs it (to find the data
    // again when the export is opened elsewhere): an export handed on names no more of the author's disk.
    const std::string& datasetPath = request.project.dataset.path;
    if (!request.projectDirectory.empty() && !datasetPath.empty() && std::filesystem::path(datasetPath).is_relative())
        metadata.projectDirectory = std::filesystem::absolute(request.projectDirectory).lexically_normal().string();
    const std::optional<PreparedData> data = loadData(request, network, metadata, report);
    ExportJob job { request, network, *model, metadata, data, report };
    writer(job);
    return report;
}

} // namespace

std::string exportWeightsSource(const ExportRequest& request)
{
    if (!request.weightsPath.empty())
        return request.weightsOrigin.empty() ? "Exports the trained weights in " + request.weightsPath
                                             : "Exports the weights of " + request.weightsOrigin;
    const std::string& initial = request.project.initialWeights;
    if (initial.empty())
        return "Exports the seeded initial weights (untrained)";
    const bool imported = request.project.description.rfind("Imported from ", 0) == 0;
    return std::string("Exports the ") + (imported ? "imported" : "project's starting") + " weights ("
        + std::filesystem::path(initial).filename().string() + ", not trained in Netdraft yet)";
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
