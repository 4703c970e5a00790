#pragma once
// What an experiment varies: training and dataset settings and block parameters, each key checked
// against the base project and each value parsed through the ParamSpec that describes it, as a grid,
// a random search over the listed values, or an explicit list of trials. LibTorch-free, for the app.

#include "engine/layers/ParamSpec.h"
#include "engine/project/Project.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One thing an experiment may vary: "training.learning_rate", "dataset.validation_fraction" or
/// "<block id>.<parameter>", with the ParamSpec that checks its values.
struct ExperimentKey {
    enum class Section { Training, Dataset, Block };
    Section section = Section::Training;
    std::string blockId; ///< Block only
    std::string name; ///< the setting's or parameter's name
    ParamSpec spec;

    /// The key as written: "training.learning_rate", "conv1.out_channels".
    std::string text() const;
    bool operator==(const ExperimentKey& other) const { return text() == other.text(); }
};

/// A checked value and the text it was written as (kept for tables and CSV: "1e-3" stays "1e-3").
struct ExperimentValue {
    ParamValue value;
    std::string text;
};

/// One varied key with its listed values.
struct ExperimentAxis {
    ExperimentKey key;
    std::vector<ExperimentValue> values;
};

/// One key set to one value in one trial.
struct Assignment {
    ExperimentKey key;
    ExperimentValue value;
};

enum class SearchMethod {
    Grid, ///< every combination of the axes' values (the first axis varies slowest)
    Random, ///< `randomTrials` distinct combinations drawn with `seed`
    List, ///< the trials in `listedTrials`, as written
};

/// A whole experiment: how trials are chosen and what they vary.
struct ExperimentSpec {
    SearchMethod method = SearchMethod::Grid;
    std::vector<ExperimentAxis> axes; ///< Grid and Random
    int64_t randomTrials = 0; ///< Random: how many trials
    uint64_t seed = 0; ///< Random: which trials
    std::vector<std::vector<Assignment>> listedTrials; ///< List

    /// The varied keys as written, in column order (axes, or first appearance in the list).
    std::vector<std::string> keyTexts() const;
};

/// Resolves "training.<setting>", "dataset.<setting>" or "<block id>.<parameter>" against `base`;
/// throws Error naming the key and what is allowed.
ExperimentKey resolveExperimentKey(const Project& base, const std::string& key);

/// Parses one value for `key` ("0.01", "adam", "true", "auto", "[3,3]") and checks it with the key's
/// ParamSpec; throws Error naming the key, the value and what is allowed.
ExperimentValue parseExperimentValue(const ExperimentKey& key, const std::string& text);

/// Parses "KEY=VALUE,VALUE,…" (lists in brackets: "training.milestones=[10,20],[30,60]").
ExperimentAxis parseExperimentAxis(const Project& base, const std::string& text);

/// Parses one listed trial: "KEY=VALUE;KEY=VALUE".
std::vector<Assignment> parseListedTrial(const Project& base, const std::string& text);

/// Checks a spec as a whole (no axis twice, at least one value each, random trials within the number
/// of combinations); throws Error saying what is wrong.
void checkExperimentSpec(const ExperimentSpec& spec);

/// The spec a saved (or typed) plan describes, each key and value checked against `base` as above;
/// a random search when `plan.randomTrials` > 0. Throws Error naming the entry that is wrong.
ExperimentSpec experimentSpecFromPlan(const Project& base, const ExperimentPlan& plan);

} // namespace netdraft::engine
