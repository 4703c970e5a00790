#pragma once
// Fine-tuning a model: starting weights that may fit only part of the graph (a new head after an
// import), and frozen blocks that training leaves alone.

#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"
#include "engine/project/TrainingSettings.h"
#include "engine/train/WeightsImport.h"

#include <set>
#include <string>

namespace netdraft::engine {

/// "weights.pt" relative to `projectDirectory` (an absolute path stays as it is); empty stays empty.
std::string resolveProjectFile(const std::string& projectDirectory, const std::string& path);

/// Copies every tensor of the state dict at `path` whose name and shape fit `model` and returns what
/// did not (blocks added or changed since the file was written keep their current, seeded weights).
/// Throws Error naming the file when it cannot be read or nothing in it fits.
WeightsMismatch importMatchingWeightsFile(torch::nn::Module& model, const std::string& path);

/// The (expanded) ids of the frozen blocks: a frozen block, or any block inside a frozen instance.
std::set<std::string> frozenBlockIds(const CompiledNetwork& network);

/// Turns off requires_grad for the parameters of the frozen blocks of `network` in `model`.
void freezeBlocks(GraphModelImpl& model, const CompiledNetwork& network);

/// The blocks whose modules stay in eval mode while training: the frozen ones, unless the training
/// setting frozen_batch_norm is "train" (then none: batch norm in frozen blocks follows the new data).
std::set<std::string> evalModeBlockIds(const CompiledNetwork& network, const TrainingSettings& settings);

/// Puts the modules of `blocks` (evalModeBlockIds) in eval mode after a model.train(), so that their
/// batch-norm statistics stay and their dropout is off: a frozen block computes what it computed before.
void keepFrozenBlocksInEval(GraphModelImpl& model, const std::set<std::string>& blocks);

/// Trainable and frozen parameter values of a model built from `network`.
struct ParameterSplit {
    int64_t trainable = 0;
    int64_t frozen = 0;
};
ParameterSplit parameterSplit(const GraphModelImpl& model, const CompiledNetwork& network);

} // namespace netdraft::engine
