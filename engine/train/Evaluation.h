#pragma once
// One pass over a dataset without gradients: the metrics of a validation, test or `evaluate` run.

#include "engine/data/DataLoader.h"
#include "engine/model/GraphModel.h"
#include "engine/train/LossFunction.h"
#include "engine/train/Metrics.h"

namespace netdraft::engine {

/// Runs `model` in eval mode over `data` in order (the loader's shuffle and augmentation are turned
/// off) and returns its metrics; the model's training mode is restored afterwards.
Metrics evaluateModel(GraphModel& model, const InMemoryDataset& data, const LossFunction& loss, LoaderOptions loader,
    MetricAccumulator::Options metrics);

} // namespace netdraft::engine
