#include "engine/train/DeadReluCheck.h"

#include <cmath>

namespace netdraft::engine {

std::vector<std::string> deadReluWarnings(const std::vector<BlockStatistics>& averaged, int64_t epoch, double threshold)
{
    std::vector<std::string> warnings;
    for (const BlockStatistics& block : averaged) {
        if ((block.type != "ReLU" && block.type != "ReLU6") || !(block.activation.zeroFraction > threshold))
            continue;
        // Floor, so that 99.96 % does not read as 100 %.
        const int percent = static_cast<int>(std::floor(block.activation.zeroFraction * 100.0));
        warnings.push_back("block " + block.label + ": " + std::to_string(percent) + " % of this " + block.type
            + "'s outputs were zero in epoch " + std::to_string(epoch)
            + " (a dead ReLU: it passes no gradient back, so the blocks before it stop learning through it); "
              "lower the learning rate, check the bias and initialisation of the block feeding it, or use "
              "LeakyReLU");
    }
    return warnings;
}

} // namespace netdraft::engine
