#pragma once
// The PROJECT positional, --weights where the subcommand reads trained weights, and the dataset override
// (--data, --dataset-kind: DatasetOptions), for the subcommands that run a project's network on its data
// (train, evaluate, gradcam, view-block): declared once with the same names and help, and the project
// loaded with the override applied.

#include "app/cli/DatasetOptions.h"
#include "engine/project/Project.h"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace netdraft::app {

/// A project file loaded for a run: the project with the dataset override applied, and where it lies.
struct LoadedProject {
    engine::Project project;
    /// The project file's absolute folder, where the project's relative paths start.
    std::string directory;
    /// "dataset: cifar10 (detected from /data/cifar)" when --data or --dataset-kind was given.
    std::optional<std::string> datasetNote;
};

class ProjectRunOptions {
public:
    /// Whether the subcommand takes --weights, and whether it must be given.
    enum class Weights { None, Optional, Required };

    explicit ProjectRunOptions(Weights weights = Weights::None)
        : weights_(weights)
    {
    }

    /// Adds PROJECT (required), --weights as chosen, --data and --dataset-kind.
    void addTo(CLI::App& app);
    /// The project file, or nothing after loadProjectForCommand printed why it cannot be read (the
    /// command then exits with kExitCannotRead). Throws engine::Error when the dataset override does not
    /// fit (DatasetOptions::applyTo).
    std::optional<LoadedProject> load() const;

    const std::string& projectPath() const { return projectPath_; }
    /// The --weights file; empty when not given (the project's starting weights).
    const std::string& weightsPath() const { return weightsPath_; }

private:
    Weights weights_;
    std::string projectPath_;
    std::string weightsPath_;
    DatasetOptions dataset_;
};

} // namespace netdraft::app
