#include "engine/import/ImportService.h"

#include "engine/core/Error.h"
#include "engine/import/ImportFormatRegistry.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/ProjectFormat.h"

#include <filesystem>

namespace netdraft::engine {

namespace {

std::string formatOf(const ImportRequest& request)
{
    if (!request.format.empty())
        return request.format;
    const ImportFormatInfo* byName = importFormatForFile(request.modelPath);
    std::string suffixes;
    for (const ImportFormatInfo& info : importFormats())
        for (const std::string& suffix : info.suffixes)
            suffixes += (suffixes.empty() ? "" : ", ") + suffix;
    ND_CHECK(byName, request.modelPath, ": no import format reads this kind of file (they read ", suffixes,
        "); name one with --format");
    return byName->name;
}

/// Writes the weights (first) and the project (then), each atomically, beside request.projectPath.
void writeProject(const ImportRequest& request, const NamedTensors& weights, ImportReport& report)
{
    const std::filesystem::path projectPath(request.projectPath);
    const std::filesystem::path weightsPath = projectPath.parent_path() / freeWeightsFileName(request.projectPath);
    report.project.initialWeights = weightsPath.filename().string();
    if (!projectPath.parent_path().empty())
        std::filesystem::create_directories(projectPath.parent_path());
    const bool weightsExisted = std::filesystem::exists(weightsPath);
    writeFileAtomically(weightsPath.string(), tensorDictArchive(weights));
    try {
        saveProjectFile(report.project, request.projectPath);
    } catch (...) {
        if (!weightsExisted) // no project names them: leave nothing behind
            std::filesystem::remove(weightsPath);
        throw;
    }
    report.weightsPath = weightsPath.string();
    report.projectPath = request.projectPath;
}

/// A Netdraft export opened as its project: counts as an import would give them, dataset path kept valid.
ImportReport restoredReport(const ImportRequest& request, RestoredProject restored, std::vector<std::string> notes)
{
    ImportReport report;
    report.restoredProject = true;
    report.notes.push_back(restoredProjectNote(restored, request.modelPath));
    report.notes.insert(report.notes.end(), notes.begin(), notes.end());
    report.project = std::move(restored.project);
    if (!request.inputShape.empty() && request.inputShape != restored.inputShape)
        report.notes.push_back("the input shape given is not used: the project's Input block sets it");
    const std::string newDirectory = request.projectPath.empty()
        ? std::string()
        : std::filesystem::path(request.projectPath).parent_path().string();
    relocateDatasetPath(report.project, restored.projectDirectory, newDirectory, report.notes);
    report.blockCounts = std::move(restored.blockCounts);
    report.compositeInstances = restored.compositeInstances;
    report.parameterCount = restored.parameterCount;
    if (!request.projectPath.empty())
        writeProject(request, restored.weights, report);
    return report;
}

ImportReport runImport(const ImportRequest& request)
{
    ND_CHECK(!request.modelPath.empty(), "import: no model file given");
    ND_CHECK(std::filesystem::is_regular_file(request.modelPath), request.modelPath, ": no such file");
    const std::string format = formatOf(request);
    const ImportFormatRegistry& registry = ImportFormatRegistry::instance();
    // Read once: the restorer and the reader look at the same bytes (a model can be gigabytes).
    const std::string bytes = readFileLimited(request.modelPath, registry.info(format).maxFileBytes);
    ImportReport report;
    if (request.restoreProject && registry.restorer(format)) {
        std::vector<std::string> notes;
        if (std::optional<RestoredProject> restored = registry.restorer(format).restore(request, bytes, notes))
            return restoredReport(request, std::move(*restored), std::move(notes));
        report.notes = std::move(notes);
    }
    const ImportedNetwork network = registry.reader(format)(request, bytes, report.notes);
    ImportGraphOptions options;
    options.groupModules = request.groupModules;
    ImportedGraph imported;
    try {
        imported = buildImportedGraph(network, options);
    } catch (const Error& error) {
        throw Error(request.modelPath + ": " + error.what());
    }
    report.project = std::move(imported.project);
    report.blockCounts = imported.blockCounts;
    report.compositeInstances = imported.compositeInstances;
    report.parameterCount = imported.parameterCount;
    if (!request.projectPath.empty())
        writeProject(request, imported.weights, report);
    return report;
}

} // namespace

std::string initialWeightsFileName(const std::string& projectPath)
{
    return std::filesystem::path(projectPath).stem().string() + ".weights.pt";
}

std::string freeWeightsFileName(const std::string& projectPath)
{
    const std::filesystem::path folder = std::filesystem::path(projectPath).parent_path();
    const std::string name = initialWeightsFileName(projectPath);
    std::string named; // what the project file being replaced names
    if (std::filesystem::is_regular_file(projectPath)) {
        try {
            named = loadProjectFile(projectPath).initialWeights;
        } catch (const std::exception&) {
            // Not a project Netdraft reads: it names nothing of its own.
        }
    }
    const std::string stem = std::filesystem::path(projectPath).stem().string();
    for (int number = 1;; ++number) {
        const std::string candidate = number == 1 ? name : stem + ".weights-" + std::to_string(number) + ".pt";
        if (candidate == named || !std::filesystem::exists(folder / candidate))
            return candidate;
    }
}

std::optional<std::string> exportedProjectName(const std::string& modelPath)
{
    const ImportFormatInfo* format = importFormatForFile(modelPath);
    if (!format)
        return std::nullopt;
    const ProjectRestorer& restorer = ImportFormatRegistry::instance().restorer(format->name);
    if (!restorer)
        return std::nullopt;
    try {
        const std::optional<ExportMetadata> metadata = restorer.metadata(modelPath);
        if (!metadata || metadata->project.empty())
            return std::nullopt;
        return metadata->projectName;
    } catch (const std::exception&) {
        return std::nullopt; // the import itself says what is wrong
    }
}

ImportReport importModel(const ImportRequest& request)
{
    try {
        return runImport(request);
    } catch (const Error&) {
        throw;
    } catch (const c10::Error& error) {
        throw Error(request.modelPath + ": " + error.what_without_backtrace());
    } catch (const std::exception& error) {
        throw Error(request.modelPath + ": " + error.what());
    }
}

} // namespace netdraft::engine
