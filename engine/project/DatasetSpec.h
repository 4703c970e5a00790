#pragma once
// Which data a project trains on and how it is split, normalised and augmented.

#include "engine/project/SettingField.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// The dataset reference stored in a project. `path` is relative to the project file when not absolute.
struct DatasetSpec {
    /// One of kinds(): a generated dataset (shapes, spirals, ...) or a format read from disk (mnist, csv, ...)
    std::string kind = "shapes";
    std::string path;                 ///< file or folder for disk datasets
    int64_t samples = 6000;           ///< generated datasets: how many samples
    int64_t generatorSeed = 1;        ///< generated datasets: what to draw
    double validationFraction = 0.1;  ///< of the training part
    double testFraction = 0.1;        ///< when the dataset has no test files of its own
    int64_t splitSeed = 7;
    std::string normalization = "computed"; ///< none, computed (mean/std of the training split), given
    RealList mean;         ///< per channel, for "given"
    RealList std;          ///< per channel, for "given"
    int64_t cropPadding = 0;          ///< augmentation: random crop after padding by this much; 0 = off
    bool horizontalFlip = false;      ///< augmentation: random horizontal flip
    std::string targetColumn = "target"; ///< csv: the label column's header
    std::string textUnit = "characters"; ///< text datasets: characters or (whitespace) words as tokens
    std::string textTask = "next_token"; ///< text: next_token (language model) or line_labels ("label<TAB>text")

    /// The fields; the `kind` choices are kinds() as registered at start-up.
    static const std::vector<SettingField<DatasetSpec>>& fields();
    /// Adds a choice for `kind`. engine/data calls it for each dataset kind it registers a loader for
    /// (DatasetRegistry), at start-up: project/ sits below data/ and cannot ask the registry itself.
    /// `listPosition` orders the choices (the dataset panel's list).
    static void addKind(const std::string& kind, int listPosition);
    /// The registered kinds, by list position.
    static std::vector<std::string> kinds();
    bool operator==(const DatasetSpec& other) const;
};

} // namespace netdraft::engine
