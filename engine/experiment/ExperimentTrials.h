#pragma once
// The trials of an experiment: each one a normal Project, the base with the trial's values applied.

#include "engine/experiment/ExperimentSpec.h"

#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One trial: its number (from 1), the values it sets (in the spec's key order) and its project.
struct Trial {
    int number = 0;
    std::vector<Assignment> values;
    Project project;
};

/// Sets one key of `project` to the assignment's (already checked) value.
void applyAssignment(Project& project, const Assignment& assignment);

/// The projects to run, in order: every grid combination (the first axis varies slowest), the random
/// search's draws (the same seed gives the same trials), or the listed trials. Checks the spec first
/// (checkExperimentSpec); throws Error.
std::vector<Trial> trialProjects(const Project& base, const ExperimentSpec& spec);

/// The number of trainable values of the project's network; nullopt when its design has errors.
std::optional<int64_t> countParameters(const Project& project);

} // namespace netdraft::engine
