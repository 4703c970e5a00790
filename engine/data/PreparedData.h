#pragma once
// Contract (to be implemented in engine/data): a project's dataset loaded, checked against the
// graph and split into training, validation and test parts.

#include "engine/data/DataLoader.h"
#include "engine/data/Dataset.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/project/DatasetSpec.h"
#include "engine/project/Project.h"

#include <string>
#include <vector>

namespace netdraft::engine {

/// The three parts of a dataset and the normalisation computed on the training part.
struct PreparedData {
    InMemoryDataset train;
    InMemoryDataset validation;
    InMemoryDataset test;
    Normalization normalization;
};

/// What the graph expects, for the mismatch check before training.
struct ExpectedData {
    std::vector<int64_t> inputShape; ///< per sample, from the Input block
    int64_t outputSize = 0;          ///< last dimension of the Output block's input
    bool classification = true;
    std::string inputDtype;          ///< "float32" or "int64" from the Input block; empty: not checked
};

/// What a compiled network expects of its data, for prepareData(): the Input block's sample shape
/// and dtype, the size of the Output block's input, and whether it classifies.
ExpectedData expectedData(const CompiledNetwork& network);
/// The same for a project whose graph may still have errors (the dataset preview): what can be
/// inferred, with the classification answer of CompiledNetwork::compile(project).
ExpectedData expectedData(const Project& project);

/// Throws Error, showing both sides, when `data` does not fit what the graph expects.
void checkDatasetFits(const InMemoryDataset& data, const ExpectedData& expected);

/// `spec.path` resolved against `projectDir` (unchanged when empty or absolute).
std::string resolveDatasetPath(const std::string& path, const std::string& projectDir);

/// Loads (or generates) the dataset of `spec`, resolving relative paths against `projectDir`, checks
/// it against `expected` and splits it. Throws Error with a message that shows both shapes or class
/// counts on mismatch, and names the file and offset for malformed files.
PreparedData prepareData(const DatasetSpec& spec, const std::string& projectDir, const ExpectedData& expected);

} // namespace netdraft::engine
