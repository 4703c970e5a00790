#pragma once
// The fine-tuning part of the exported train.py: frozen blocks and per-block learning-rate factors,
// trained as Netdraft's trainer trains them (engine/train/FineTuning, engine/train/LearningRateScales).

#include "engine/network/CompiledNetwork.h"
#include "engine/project/TrainingSettings.h"

#include <string>
#include <utility>
#include <vector>

namespace netdraft::engine {

/// What train.py must do beyond one learning rate for every parameter. Names are Net's attributes in
/// model.py (the expanded block ids: "stem__bn" for block bn inside instance stem).
struct PythonFineTuning {
    /// Frozen blocks that model.py holds as modules: no gradient, not given to the optimizer.
    std::vector<std::string> frozenBlocks;
    /// frozen_batch_norm "eval": the frozen modules go back to eval() after every model.train().
    bool frozenBlocksInEval = false;
    /// Trainable blocks whose learning rate is the run's times a factor other than 1, with the factor.
    std::vector<std::pair<std::string, double>> learningRateScales;

    bool empty() const { return frozenBlocks.empty() && learningRateScales.empty(); }
};

/// The frozen blocks and factors of `network` as train.py sees them. Throws Error for a
/// frozen_batch_norm setting other than eval or train.
PythonFineTuning pythonFineTuning(const CompiledNetwork& network, const TrainingSettings& settings);

/// The constants and functions train.py needs for `fineTuning` (FROZEN_BLOCKS, freeze_blocks(),
/// keep_frozen_blocks_in_eval(), LEARNING_RATE_SCALES, parameter_groups()); empty when it is empty.
std::string pythonFineTuningDefinitions(const PythonFineTuning& fineTuning);

} // namespace netdraft::engine
