#pragma once
// The "one huge layer" warning (docs/INSIGHT.md, "The parameter-share warning"): a layer fed a large
// flattened feature map that holds most of the network's parameters, the classic Flatten → Linear
// mistake of a network without pooling. A warning, never an error: such a network still trains.

#include "engine/core/Problem.h"
#include "engine/insight/NetworkCost.h"
#include "engine/network/CompiledNetwork.h"

#include <cstdint>
#include <vector>

namespace netdraft::engine {

/// When the warning is raised: the block holds more than `share` of all parameters and at least
/// `minimumParameters`, and its input is a flattened feature map (Flatten of two or more sample
/// dimensions, possibly through shape-keeping layers such as ReLU or Dropout).
struct ParameterShareLimits {
    double share = 0.5;
    int64_t minimumParameters = 1'000'000;
};

/// One warning per such block of `cost` (counted from `network`): severity Warning, `where` "block
/// <name> (<id>)" as inference writes it (InferenceResult::blockLabel), `blockId` the expanded id ("enc1__fc"), the message naming the figures, the flattened
/// shape and the fix.
std::vector<Problem> parameterShareWarnings(
    const CompiledNetwork& network, const NetworkCost& cost, const ParameterShareLimits& limits = {});

} // namespace netdraft::engine
