#pragma once
// The dead-ReLU warning: a ReLU block whose outputs are almost all zero passes no gradient back and
// stops learning. Read from the per-block statistics (BlockStatistics).

#include "engine/train/BlockStatistics.h"

#include <cstdint>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One warning per ReLU (or ReLU6) block whose share of zero outputs, averaged over an epoch's recorded
/// batches, exceeds `threshold`: "block relu1: 98 % of this ReLU's outputs were zero in epoch 2 (a dead
/// ReLU: …)".
std::vector<std::string> deadReluWarnings(
    const std::vector<BlockStatistics>& averaged, int64_t epoch, double threshold = 0.95);

} // namespace netdraft::engine
