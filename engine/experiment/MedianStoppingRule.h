#pragma once
// Early stopping of hopeless trials: the median stopping rule (Golovin et al., "Google Vizier", 2017).

#include "engine/experiment/TrialResult.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace netdraft::engine {

/// After `afterEpochs` epochs, a running trial is stopped when its best monitored validation value so
/// far is worse than the median of the best values the reference trials (finished ones) had reached by
/// the same epoch. Only references that logged that epoch count, and at least `minimumReferences` of
/// them must; otherwise the trial runs on.
struct MedianStoppingRule {
    int64_t afterEpochs = 0; ///< 0 = off
    int64_t minimumReferences = 3;
    bool lowerIsBetter = true; ///< val_loss; false for val_accuracy

    /// The monitored value of one epoch (validation loss or accuracy), if logged.
    std::optional<double> monitored(const EpochFigures& figures) const;
    /// The best monitored value up to and including `epoch`.
    std::optional<double> bestUpTo(const std::vector<EpochFigures>& epochs, int64_t epoch) const;
    /// Whether the trial with these epochs should stop now.
    bool shouldStop(const std::vector<EpochFigures>& trial, const std::vector<std::vector<EpochFigures>>& references) const;
};

} // namespace netdraft::engine
