#include "engine/train/BestEpochTracker.h"

#include "engine/core/Error.h"

namespace netdraft::engine {

BestEpochTracker::BestEpochTracker(std::string monitor, int64_t patience)
    : patience_(patience)
{
    ND_CHECK(monitor == "val_loss" || monitor == "val_accuracy",
        "training setting monitor: expected val_loss or val_accuracy, got '", monitor, "'");
    higherIsBetter_ = monitor == "val_accuracy";
}

double BestEpochTracker::monitoredValue(const Metrics& train, const std::optional<Metrics>& validation) const
{
    const Metrics& source = validation && validation->samples > 0 ? *validation : train;
    if (higherIsBetter_) {
        ND_CHECK(
            source.accuracy, "training setting monitor: val_accuracy needs a classification dataset; use val_loss");
        return *source.accuracy;
    }
    return source.loss;
}

bool BestEpochTracker::record(int64_t epoch, double value)
{
    const bool improved = bestEpoch_ < 0 || (higherIsBetter_ ? value > bestValue_ : value < bestValue_);
    if (improved) {
        bestEpoch_ = epoch;
        bestValue_ = value;
        epochsWithoutImprovement_ = 0;
    } else {
        ++epochsWithoutImprovement_;
    }
    return improved;
}

bool BestEpochTracker::patienceExhausted() const
{
    return patience_ > 0 && epochsWithoutImprovement_ >= patience_;
}

void BestEpochTracker::saveTo(TrainingProgress& progress) const
{
    progress.bestEpoch = bestEpoch_;
    progress.bestValue = bestValue_;
    progress.epochsWithoutImprovement = epochsWithoutImprovement_;
}

void BestEpochTracker::restoreFrom(const TrainingProgress& progress)
{
    bestEpoch_ = progress.bestEpoch;
    bestValue_ = progress.bestValue;
    epochsWithoutImprovement_ = progress.epochsWithoutImprovement;
}

} // namespace netdraft::engine
