// exponential: decays by gamma every epoch (PyTorch's ExponentialLR).

#include "engine/train/ScheduleRegistry.h"

#include <cmath>

namespace netdraft::engine {

double ExponentialSchedule::rateAt(int64_t epoch) const
{
    return base_ * std::pow(gamma_, static_cast<double>(epoch));
}

namespace {

std::unique_ptr<LearningRateSchedule> makeExponentialSchedule(const TrainingSettings& settings, int64_t)
{
    return std::make_unique<ExponentialSchedule>(settings.learningRate, settings.gamma);
}

NETDRAFT_REGISTER_SCHEDULE({ "exponential", 40, makeExponentialSchedule, "return gamma ** epoch" });

} // namespace
} // namespace netdraft::engine
