#pragma once
// Opening a model that Netdraft exported itself as the project it came from: the export's metadata
// carries the project (ExportMetadata::project), and the file carries its trained weights. Format-
// neutral here; each format finds the metadata and the tensors in its own way (the restorers in
// ExportedProjectTorchScript.cpp and ExportedProjectOnnx.cpp) and ImportService writes the result
// like any import.

#include "engine/export/ExportMetadata.h"
#include "engine/io/StateDict.h"
#include "engine/project/Project.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

struct NetworkStep;

/// The project of an export, with the weights the file holds for it.
struct RestoredProject {
    Project project;
    /// The whole state of the model built from the project (GraphModel's names: "<expanded id>.<name>").
    NamedTensors weights;
    /// The folder the exported project's file was in (its relative dataset paths start there).
    std::string projectDirectory;
    std::string netdraftVersion; ///< the Netdraft that exported it
    /// What the import reports of it, from the one compiled network the weights were restored into.
    std::vector<int64_t> inputShape; ///< one sample, without the batch dimension
    int64_t parameterCount = 0;
    std::map<std::string, int> blockCounts; ///< blocks per layer type, inside composites too
    int compositeInstances = 0; ///< nested ones included
};

/// The tensor a block's parameter or buffer `name` ("weight", "self_attn.in_proj_weight") has in the
/// file (`current` is the seeded one, for its shape); std::nullopt when the file does not hold it.
using ExportedTensorLookup = std::function<std::optional<torch::Tensor>(
    const NetworkStep& block, const std::string& name, const torch::Tensor& current)>;

/// What ends every message of a Netdraft export that cannot be opened as its project.
inline constexpr const char* kImportNetworkAloneHint
    = "\nImport the network alone instead (netdraft-cli import --as-graph).";

/// Whether `bytes` may carry an export's metadata: its name `marker` (a zip entry's, an ONNX metadata
/// key) appears in them, both being stored uncompressed. A model without it is not parsed an extra
/// time, before the import's reader parses it, only to learn that it carries none.
inline bool mayHoldExportMetadata(const std::string& bytes, const char* marker)
{
    return bytes.find(marker) != std::string::npos;
}

/// The export metadata in `text`, found at `where` ("model.pt (extra/netdraft.json)"); throws Error
/// saying what is wrong, and that the network alone can still be imported.
ExportMetadata readExportMetadata(const std::string& text, const std::string& where);

/// The project in `metadata`, parsed; std::nullopt when there is no metadata, or metadata from before
/// exports carried their project (a note says so: the file imports as a network). Throws Error naming
/// `sourceName` when it is not a valid project, saying that the network alone can still be imported
/// (ImportRequest::restoreProject = false).
std::optional<Project> projectInside(
    const std::optional<ExportMetadata>& metadata, const std::string& sourceName, std::vector<std::string>& notes);

/// Builds the model of `project` (its seed) and sets every parameter and buffer from `lookup`. Those
/// the file does not hold are listed in `missing` ("block conv1: weight") and keep their seeded values;
/// a tensor of another shape than the block's throws Error naming `sourceName`, the block and both shapes.
RestoredProject restoreProject(Project project, const ExportMetadata& metadata, const std::string& sourceName,
    const ExportedTensorLookup& lookup, std::vector<std::string>& missing);

/// Points the relative dataset path of a restored project, about to be saved in `newDirectory`, at
/// the file it named from `oldDirectory`: kept when it is found from the new folder too, made absolute
/// when it is found only from the old one; a note says when it is found from neither.
void relocateDatasetPath(Project& project, const std::string& oldDirectory, const std::string& newDirectory,
    std::vector<std::string>& notes);

/// "model.pt was exported by Netdraft 0.9.0 from project “CIFAR-10 CNN” (in /home/u/projects): opened as
/// that project, with the file's weights", the first note of such an import.
std::string restoredProjectNote(const RestoredProject& restored, const std::string& modelPath);

/// Implemented per format: the export metadata of a file Netdraft exported, read without loading its
/// model or tensors; std::nullopt when the file carries none. Throws Error naming the file when the
/// file or its metadata is malformed.
std::optional<ExportMetadata> torchScriptExportMetadata(const std::string& bytes, const std::string& sourceName);
std::optional<ExportMetadata> onnxExportMetadata(const std::string& bytes, const std::string& sourceName);

/// Implemented per format (the format's restorer calls them): the project that a Netdraft export
/// carries, with its weights, or std::nullopt when the file is not one (or is one from before exports
/// carried their project). Throws Error naming the file when it is one whose project or weights do
/// not fit.
std::optional<RestoredProject> restoreTorchScriptExport(
    const std::string& bytes, const std::string& sourceName, std::vector<std::string>& notes);
std::optional<RestoredProject> restoreOnnxExport(
    const std::string& bytes, const std::string& sourceName, std::vector<std::string>& notes);

} // namespace netdraft::engine
