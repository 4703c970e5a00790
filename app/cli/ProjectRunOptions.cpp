#include "app/cli/ProjectRunOptions.h"

#include "app/cli/Command.h"

#include <filesystem>

namespace netdraft::app {

void ProjectRunOptions::addTo(CLI::App& app)
{
    app.add_option("PROJECT", projectPath_, "The .netdraft project file")->required();
    if (weights_ == Weights::Required)
        app.add_option("--weights", weightsPath_, "weights.pt or checkpoint.pt written by `train`")->required();
    else if (weights_ == Weights::Optional)
        app.add_option("--weights", weightsPath_,
            "weights.pt or checkpoint.pt written by `train` (default: the project's starting weights)");
    dataset_.addTo(app);
}

std::optional<LoadedProject> ProjectRunOptions::load() const
{
    std::optional<engine::Project> project = loadProjectForCommand(projectPath_);
    if (!project)
        return std::nullopt;
    LoadedProject loaded { std::move(*project), std::filesystem::absolute(projectPath_).parent_path().string(), {} };
    loaded.datasetNote = dataset_.applyTo(loaded.project.dataset);
    return loaded;
}

} // namespace netdraft::app
