#pragma once
// Reading and writing .netdraft project files (versioned JSON). Free of nlohmann and LibTorch so
// that Qt code can include it.

#include "engine/core/Error.h"
#include "engine/core/Problem.h"
#include "engine/project/Project.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace netdraft::engine {

/// The format version this build writes; older files are migrated on load, newer ones refused.
inline constexpr int kProjectFormatVersion = 5;
/// Files larger than this are refused before they are read.
inline constexpr std::uint64_t kMaxProjectFileBytes = 64ull * 1024 * 1024;
/// Arrays and objects nested deeper than this are refused before parsing (real projects need ~6).
inline constexpr int kMaxProjectNesting = 64;

/// A project file that cannot be loaded. what() is the whole report: the source name, then one
/// line per problem; problems() lists them one by one with their place ("$.graph.blocks[2]",
/// "block conv3").
class ProjectLoadError : public Error {
public:
    ProjectLoadError(const std::string& sourceName, std::vector<Problem> problems);
    const std::vector<Problem>& problems() const { return problems_; }
    const std::string& sourceName() const { return sourceName_; }

private:
    std::string sourceName_;
    std::vector<Problem> problems_;
};

/// Parses and validates a whole project. A file with any problem is refused as a whole: throws
/// ProjectLoadError listing every problem found. `sourceName` (usually the path) starts the message.
/// Design errors such as shape mismatches are not load errors: the file loads and inferShapes() reports them.
Project parseProject(std::string_view text, const std::string& sourceName);

/// Reads `path` (refusing files over kMaxProjectFileBytes) and parses it. Throws Error when the file
/// cannot be read, ProjectLoadError when it is not a valid project.
Project loadProjectFile(const std::string& path);

/// The file text: 2-space indented JSON, fixed key order, parameters sorted by name, trailing newline.
/// serializeProject(parseProject(serializeProject(p))) reproduces the same bytes.
std::string serializeProject(const Project& project);

/// The project's "dataset" and "training" objects as a project file writes them, in one JSON object
/// (run records keep them beside a run's figures).
std::string serializeSettings(const Project& project);

/// Writes the project atomically: a temporary file in the same folder, flushed and synced, then
/// renamed over `path`. On failure the old file is left untouched and Error names the path.
void saveProjectFile(const Project& project, const std::string& path);

} // namespace netdraft::engine
