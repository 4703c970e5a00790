#pragma once
// Per-block learning rates (Block::learningRateScale): the trainable parameters grouped by their
// block's factor on the run's learning rate, one optimizer parameter group per factor.

#include "engine/model/GraphModel.h"
#include "engine/network/CompiledNetwork.h"

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Trainable parameters that learn at the run's learning rate times `scale`.
struct ScaledParameters {
    double scale = 1.0;
    std::vector<torch::Tensor> parameters;
};

/// The (expanded) ids of the blocks whose scale is not 1, with their scale (an instance's scale
/// already multiplied into the blocks inside it by the expansion).
std::map<std::string, double> learningRateScales(const CompiledNetwork& network);

/// The parameters of `model` that require a gradient, grouped by their block's scale in
/// `scaleByBlock` (absent: 1). The group of scale 1, when there is one, comes first, so that the first
/// optimizer group carries the run's own rate; the others follow in the order their first parameter
/// has in the model; inside a group the parameters keep the model's order. Every rank and every resume
/// builds the same groups from the same graph, which is what a checkpoint's optimizer state needs.
std::vector<ScaledParameters> groupByLearningRateScale(
    const GraphModelImpl& model, const std::map<std::string, double>& scaleByBlock);

/// The scales of `groups`, in order (what setLearningRate and learningRateOf take).
std::vector<double> scalesOf(const std::vector<ScaledParameters>& groups);

} // namespace netdraft::engine
