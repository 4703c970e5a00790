#pragma once
// --data PATH and --dataset-kind KIND, for the subcommands that load a project's dataset (through
// ProjectRunOptions: train, evaluate, gradcam, view-block): --data alone picks the kind from what the path holds (engine/data/DatasetDetection.h),
// --dataset-kind overrides it.

#include "engine/project/DatasetSpec.h"

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace netdraft::app {

class DatasetOptions {
public:
    /// Adds --data and --dataset-kind (its choices are the registered kinds).
    void addTo(CLI::App& app);
    /// Points `dataset` at the chosen data; returns the line that says which kind was chosen and why
    /// ("dataset: cifar10 (detected from /data/cifar)"), or nothing when neither option was given.
    /// Throws engine::Error saying what was expected when the path or the kind does not fit.
    std::optional<std::string> applyTo(engine::DatasetSpec& dataset) const;

private:
    std::optional<std::string> path_;
    std::optional<std::string> kind_;
};

} // namespace netdraft::app
