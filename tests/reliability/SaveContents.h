#pragma once
// The two contents the save-loop helper alternates between, and how a test tells them apart after
// reading a file back through the real loaders. Shared by the helper and the tests.

#include "engine/graph/Graph.h"

#include <string>

namespace netdraft::tests {

/// What the helper saves: a project file, a training checkpoint or a TorchScript export.
enum class SaveKind { Project, Checkpoint, Export };

/// "project", "checkpoint" or "export"; throws std::invalid_argument for anything else.
SaveKind saveKindFromName(const std::string& name);
const char* saveKindName(SaveKind kind);

/// Writes version `tag` ('A' or 'B') of `kind` to `path` through the engine's real save function.
/// Contents are built once per kind and tag and cached, so a loop spends its time saving.
void saveVersion(SaveKind kind, char tag, const std::string& path);

/// Reads `path` back through the real loader (loadProjectFile, Checkpoint::open, loadTorchScriptFile)
/// and returns the tag it holds. Throws the loader's Error when the file is incomplete or damaged,
/// and std::runtime_error when it loads but holds neither version.
char loadedVersion(SaveKind kind, const std::string& path);

/// The small graph of the corpus seeds: Input(8) → Linear(4) "fc1" → ReLU → Linear(3) "fc2" → Output.
engine::Graph tinyGraph();

/// Writes valid small files for the malformed-file corpus generator to mutate: tiny.netdraft,
/// weights.pt (state dict of tinyGraph's model, seed 5), checkpoint.pt (a full checkpoint of it)
/// and model.pt (its TorchScript export).
void writeSeedFiles(const std::string& folder);

} // namespace netdraft::tests
