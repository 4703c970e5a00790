#pragma once
// One entry point for every model import format (ImportFormat.h lists them), free of LibTorch headers
// so that the desktop app can call it; `netdraft-cli import` uses it too.

#include "engine/project/Project.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One import of a model file.
struct ImportRequest {
    std::string modelPath;
    /// A registered format's name (importFormatNames()); empty: the one whose suffix the file has.
    std::string format;
    /// One sample's shape without the batch dimension; empty: what the file says or the first layer
    /// makes obvious, else the import asks for it in its error.
    std::vector<int64_t> inputShape;
    /// Where to save the project (".netdraft"); its weights go beside it (initialWeightsFileName()).
    /// Empty: nothing is written.
    std::string projectPath;
    /// Group repeated modules (ResNet's BasicBlock, …) into composite blocks.
    bool groupModules = true;
    /// Keep operators without a block as Opaque blocks (which stop training and export until replaced)
    /// instead of stopping the import with their list.
    bool keepUnsupported = false;
    /// A model that Netdraft exported opens as the project it was exported from (the export carries
    /// it); false imports its network like any other model's.
    bool restoreProject = true;
};

/// What an import made.
struct ImportReport {
    Project project; ///< with initialWeights naming the weights file when one was written
    std::string projectPath; ///< written files; empty when not written
    std::string weightsPath;
    std::map<std::string, int> blockCounts; ///< blocks per layer type (inside composites too)
    int compositeInstances = 0;
    int64_t parameterCount = 0;
    std::vector<std::string> notes;
    /// The project came back from a Netdraft export (ImportRequest::restoreProject): its own layout,
    /// names and settings, not a graph made from the file's operators.
    bool restoredProject = false;
};

/// Reads the model (or, for a Netdraft export, the project inside it), builds the project and its weights and, when asked, writes the weights file
/// (first) and the project file (then), each atomically. Throws Error naming what failed: an unknown
/// format, a malformed file, ops without a block (listed with where they come from and how often),
/// weights that do not fit.
ImportReport importModel(const ImportRequest& request);

/// For the question before an import: the name of the project `modelPath` opens as, when Netdraft
/// exported it with its project (only its metadata is read; no model is loaded); std::nullopt for any
/// other file and for one that cannot be read (its import says why).
std::optional<std::string> exportedProjectName(const std::string& modelPath);

/// "model.netdraft" → "model.weights.pt": the file name (no folder) of a project's imported weights.
std::string initialWeightsFileName(const std::string& projectPath);

/// The file name (no folder) that the starting weights of a project saved as `projectPath` get beside it:
/// initialWeightsFileName(projectPath), unless a file of that name is there that the project file now at
/// `projectPath` does not name (the user's own, or another project's), then "model.weights-2.pt", -3, …
/// so that saving or importing never overwrites a file that is not that project's.
std::string freeWeightsFileName(const std::string& projectPath);

} // namespace netdraft::engine
