// cosine: from the base rate down to min_learning_rate over the scheduled epochs (PyTorch's
// CosineAnnealingLR with T_max = epochs after the warm-up).

#include "engine/train/ScheduleRegistry.h"

#include <algorithm>

namespace netdraft::engine {

CosineSchedule::CosineSchedule(double base, double minimum, int64_t epochs)
    : base_(base)
    , minimum_(minimum)
    , epochs_(std::max<int64_t>(epochs, 1))
{
}

double CosineSchedule::rateAt(int64_t epoch) const
{
    return cosineBetween(base_, minimum_, static_cast<double>(std::min(epoch, epochs_)) / static_cast<double>(epochs_));
}

namespace {

std::unique_ptr<LearningRateSchedule> makeCosineSchedule(const TrainingSettings& settings, int64_t scheduledEpochs)
{
    return std::make_unique<CosineSchedule>(settings.learningRate, settings.minLearningRate, scheduledEpochs);
}

NETDRAFT_REGISTER_SCHEDULE({ "cosine", 50, makeCosineSchedule,
    R"PY(low = s["min_learning_rate"] / s["learning_rate"] if s["learning_rate"] else 0.0
return low + (1 - low) * (1 + math.cos(math.pi * min(epoch, scheduled) / scheduled)) / 2)PY" });

} // namespace
} // namespace netdraft::engine
