#include "app/cli/DatasetOptions.h"

#include "engine/core/Error.h"
#include "engine/data/DatasetDetection.h"

#include <filesystem>

namespace netdraft::app {

void DatasetOptions::addTo(CLI::App& app)
{
    app.add_option("--data", path_,
        "Dataset file or folder, replacing the project's; its kind is detected from what it holds ("
            + engine::expectedDatasetFiles() + ")");
    app.add_option("--dataset-kind", kind_, "Dataset kind, instead of the one detected from --data or the project's")
        ->check(CLI::IsMember(engine::DatasetSpec::kinds()));
}

std::optional<std::string> DatasetOptions::applyTo(engine::DatasetSpec& dataset) const
{
    if (!path_ && !kind_)
        return std::nullopt;
    if (!path_) {
        ND_CHECK(!engine::datasetKindReadsFiles(*kind_) || !dataset.path.empty(), "dataset kind '", *kind_,
            "' reads files and the project names none: give --data PATH");
        dataset.kind = *kind_;
        return "dataset: " + dataset.kind + " (--dataset-kind)";
    }
    const std::string path = std::filesystem::absolute(*path_).lexically_normal().string();
    if (kind_) {
        ND_CHECK(
            engine::datasetKindReadsFiles(*kind_), "dataset kind '", *kind_, "' is generated and takes no --data path");
        dataset.kind = *kind_;
        dataset.path = path;
        return "dataset: " + dataset.kind + " (--dataset-kind, " + path + ")";
    }
    try {
        dataset.kind = engine::detectDatasetKind(path, dataset.kind);
    } catch (const engine::Error& error) {
        throw engine::Error(std::string("--data ") + error.what());
    }
    dataset.path = path;
    return "dataset: " + dataset.kind + " (detected from " + path + ")";
}

} // namespace netdraft::app
