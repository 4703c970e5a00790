#include "engine/io/ProjectFormat.h"

#include "engine/io/AtomicFile.h"
#include "engine/io/JsonWriter.h"
#include "engine/io/Migrations.h"
#include "engine/io/ProjectJson.h"
#include "engine/io/SettingsJson.h"
#include "engine/io/StrictJsonParser.h"

#include <filesystem>

namespace netdraft::engine {

namespace {

std::string loadErrorMessage(const std::string& sourceName, const std::vector<Problem>& problems)
{
    if (problems.size() == 1)
        return sourceName + ": " + problems.front().toString();
    std::string text = sourceName + ": " + std::to_string(problems.size()) + " problems:";
    for (const Problem& problem : problems)
        text += "\n  " + problem.toString();
    return text;
}

[[noreturn]] void refuse(const std::string& sourceName, std::string message)
{
    throw ProjectLoadError(sourceName, { Problem { "", std::move(message) } });
}

/// Problems that make the text unreadable as a project at all; each refuses the file on its own.
void checkText(std::string_view text, const std::string& sourceName)
{
    if (text.size() > kMaxProjectFileBytes)
        refuse(sourceName,
            "is " + std::to_string(text.size()) + " bytes; project files are at most "
                + std::to_string(kMaxProjectFileBytes) + " bytes");
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        refuse(sourceName, "is empty");
    if (text.size() >= 2 && ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF')))
        refuse(sourceName, "is UTF-16 text; save it as UTF-8");
}

/// Checks "format" and "version"; returns the version.
int readVersion(const Json& root, const std::string& sourceName)
{
    if (!root.is_object())
        refuse(sourceName, "$: must be an object (a Netdraft project), got " + describeJson(root));
    auto format = root.find("format");
    if (format == root.end())
        refuse(sourceName, "$: missing \"format\": this is not a Netdraft project");
    if (*format != "netdraft")
        refuse(sourceName, "$.format: must be \"netdraft\", got " + describeJson(*format));
    auto version = root.find("version");
    if (version == root.end())
        refuse(sourceName, "$: missing \"version\"");
    if (!version->is_number_integer())
        refuse(sourceName, "$.version: must be an integer, got " + describeJson(*version));
    if (version->is_number_unsigned() ? version->get<uint64_t>() > uint64_t(kProjectFormatVersion)
                                      : version->get<int64_t>() > kProjectFormatVersion)
        refuse(sourceName,
            "was written by a newer Netdraft (format version " + describeJson(*version) + "); this version reads up to "
                + std::to_string(kProjectFormatVersion));
    if (version->get<int64_t>() < 0)
        refuse(sourceName, "$.version: must be >= 0, got " + describeJson(*version));
    return static_cast<int>(version->get<int64_t>());
}

} // namespace

ProjectLoadError::ProjectLoadError(const std::string& sourceName, std::vector<Problem> problems)
    : Error(loadErrorMessage(sourceName, problems))
    , sourceName_(sourceName)
    , problems_(std::move(problems))
{
}

Project parseProject(std::string_view text, const std::string& sourceName)
{
    checkText(text, sourceName);
    std::vector<Problem> problems;
    Json root;
    if (!parseStrictJson(text, kMaxProjectNesting, root, problems))
        throw ProjectLoadError(sourceName, std::move(problems));
    const int version = readVersion(root, sourceName);
    migrateProject(root, version, problems);
    Project project = projectFromJson(root, problems);
    if (!problems.empty())
        throw ProjectLoadError(sourceName, std::move(problems));
    return project;
}

Project loadProjectFile(const std::string& path)
{
    // Opening a project is where the app and the CLI start working in its folder: clear what saves
    // killed there earlier left behind (checkpoints and exports usually live beside the project).
    const std::string folder = std::filesystem::path(path).parent_path().string();
    removeStaleTemporaryFiles(folder.empty() ? "." : folder);
    return parseProject(readFileLimited(path, kMaxProjectFileBytes), path);
}

std::string serializeProject(const Project& project)
{
    return writeJson(projectToJson(project));
}

std::string serializeSettings(const Project& project)
{
    Json settings = Json::object();
    settings["dataset"] = settingsToJson(project.dataset);
    settings["training"] = settingsToJson(project.training);
    return writeJson(settings);
}

void saveProjectFile(const Project& project, const std::string& path)
{
    writeFileAtomically(path, serializeProject(project));
}

} // namespace netdraft::engine
