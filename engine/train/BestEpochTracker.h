#pragma once
// Follows the monitored metric across epochs for early stopping and keep-best.

#include "engine/train/Checkpoint.h"
#include "engine/train/Metrics.h"

#include <optional>
#include <string>

namespace netdraft::engine {

/// Decides after each epoch whether the monitored value improved and whether patience ran out.
class BestEpochTracker {
public:
    /// `monitor` is val_loss (lower is better) or val_accuracy (higher is better); patience 0 = never stop.
    BestEpochTracker(std::string monitor, int64_t patience);

    /// The monitored value of an epoch: from validation when present, else from training.
    double monitoredValue(const Metrics& train, const std::optional<Metrics>& validation) const;
    /// Records epoch `epoch` (0-based); returns whether it is the best so far.
    bool record(int64_t epoch, double value);
    bool patienceExhausted() const;

    /// The tracker's part of the checkpoint progress, and its restoration.
    void saveTo(TrainingProgress& progress) const;
    void restoreFrom(const TrainingProgress& progress);

    int64_t bestEpoch() const { return bestEpoch_; }
    int64_t epochsWithoutImprovement() const { return epochsWithoutImprovement_; }

private:
    bool higherIsBetter_;
    int64_t patience_;
    int64_t bestEpoch_ = -1;
    double bestValue_ = 0.0;
    int64_t epochsWithoutImprovement_ = 0;
};

} // namespace netdraft::engine
