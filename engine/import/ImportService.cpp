#include "engine/import/ImportService.h"

#include "engine/core/Error.h"
#include "engine/import/ImportFormatRegistry.h"
#include "engine/io/AtomicFile.h"
#include "engine/io/ProjectFormat.h"

#include <filesystem>

namespace netdraft::engine {

namespace {

ImportReport runImport(const ImportRequest& request)
{
    ND_CHECK(!request.modelPath.empty(), "import: no model file given");
    ND_CHECK(std::filesystem::is_regular_file(request.modelPath), request.modelPath, ": no such file");
    std::string format = request.format;
    if (format.empty()) {
        const ImportFormatInfo* byName = importFormatForFile(request.modelPath);
        std::string suffixes;
        for (const ImportFormatInfo& info : importFormats())
            for (const std::string& suffix : info.suffixes)
                suffixes += (suffixes.empty() ? "" : ", ") + suffix;
        ND_CHECK(byName, request.modelPath, ": no import format reads this kind of file (they read ", suffixes,
            "); name one with --format");
        format = byName->name;
    }
    const ImportReader& reader = ImportFormatRegistry::instance().reader(format);
    ImportReport report;
    const ImportedNetwork network = reader(request, report.notes);
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
    if (request.projectPath.empty())
        return report;
    const std::filesystem::path projectPath(request.projectPath);
    const std::filesystem::path weightsPath = projectPath.parent_path() / freeWeightsFileName(request.projectPath);
    report.project.initialWeights = weightsPath.filename().string();
    if (!projectPath.parent_path().empty())
        std::filesystem::create_directories(projectPath.parent_path());
    const bool weightsExisted = std::filesystem::exists(weightsPath);
    writeFileAtomically(weightsPath.string(), tensorDictArchive(imported.weights));
    try {
        saveProjectFile(report.project, request.projectPath);
    } catch (...) {
        if (!weightsExisted) // no project names them: leave nothing behind
            std::filesystem::remove(weightsPath);
        throw;
    }
    report.weightsPath = weightsPath.string();
    report.projectPath = request.projectPath;
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
