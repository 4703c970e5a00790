#include "engine/experiment/MedianStoppingRule.h"

#include <algorithm>

namespace netdraft::engine {

std::optional<double> MedianStoppingRule::monitored(const EpochFigures& figures) const
{
    return lowerIsBetter ? figures.validationLoss : figures.validationAccuracy;
}

std::optional<double> MedianStoppingRule::bestUpTo(const std::vector<EpochFigures>& epochs, int64_t epoch) const
{
    std::optional<double> best;
    for (const auto& figures : epochs) {
        const auto value = figures.epoch <= epoch ? monitored(figures) : std::nullopt;
        if (value && (!best || (lowerIsBetter ? *value < *best : *value > *best)))
            best = value;
    }
    return best;
}

bool MedianStoppingRule::shouldStop(
    const std::vector<EpochFigures>& trial, const std::vector<std::vector<EpochFigures>>& references) const
{
    if (afterEpochs <= 0 || trial.empty() || trial.back().epoch < afterEpochs)
        return false;
    const int64_t epoch = trial.back().epoch;
    const auto own = bestUpTo(trial, epoch);
    if (!own)
        return false;
    std::vector<double> others;
    for (const auto& reference : references) {
        const bool reached = std::any_of(
            reference.begin(), reference.end(), [&](const EpochFigures& figures) { return figures.epoch == epoch; });
        if (const auto value = reached ? bestUpTo(reference, epoch) : std::nullopt)
            others.push_back(*value);
    }
    if (others.empty() || static_cast<int64_t>(others.size()) < minimumReferences)
        return false;
    std::sort(others.begin(), others.end());
    const size_t middle = others.size() / 2;
    const double median = others.size() % 2 ? others[middle] : (others[middle - 1] + others[middle]) / 2;
    return lowerIsBetter ? *own > median : *own < median;
}

} // namespace netdraft::engine
