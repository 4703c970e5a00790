#pragma once
// The exported train.py (DistributedDataParallel training of model.py with the project's settings)
// and the tensor file it trains on.

#include "engine/data/Dataset.h"
#include "engine/export/PythonFineTuning.h"
#include "engine/project/TrainingSettings.h"

#include <string>

namespace netdraft::engine {

/// The source of train.py: trains Net from model.py on `dataFile` (see trainingDataArchive) with the
/// optimizer, learning rate, momentum, schedule, loss, epochs and batch size of `settings`, one
/// learning rate for every parameter. Runs as
/// `python3 train.py` or `torchrun --nproc_per_node=N train.py` (gloo on CPU, nccl on GPU).
std::string pythonTrainSource(const TrainingSettings& settings, const std::string& dataFile = "data.pt");
/// The same for a network with frozen blocks or per-block learning-rate factors: train.py freezes and
/// groups them as Netdraft's trainer does (pythonFineTuning); without them, the same text as above.
std::string pythonTrainSource(const TrainingSettings& settings, const CompiledNetwork& network,
    const std::string& dataFile = "data.pt");
std::string pythonTrainSource(const TrainingSettings& settings, const PythonFineTuning& fineTuning,
    const std::string& dataFile = "data.pt");

/// A torch.load-able dict of train_inputs, train_targets, validation_inputs, validation_targets
/// (inputs as stored in memory, e.g. uint8 images; preprocess() in model.py scales and normalises them).
std::string trainingDataArchive(const InMemoryDataset& train, const InMemoryDataset& validation);

} // namespace netdraft::engine
