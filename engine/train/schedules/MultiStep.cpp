// multistep: decays by gamma at each milestone epoch (PyTorch's MultiStepLR).

#include "engine/train/ScheduleRegistry.h"

#include <algorithm>
#include <cmath>

namespace netdraft::engine {

MultiStepSchedule::MultiStepSchedule(double base, std::vector<int64_t> milestones, double gamma)
    : base_(base)
    , milestones_(std::move(milestones))
    , gamma_(gamma)
{
}

double MultiStepSchedule::rateAt(int64_t epoch) const
{
    auto passed = std::count_if(milestones_.begin(), milestones_.end(), [epoch](int64_t m) { return m <= epoch; });
    return base_ * std::pow(gamma_, static_cast<double>(passed));
}

namespace {

std::unique_ptr<LearningRateSchedule> makeMultiStepSchedule(const TrainingSettings& settings, int64_t)
{
    return std::make_unique<MultiStepSchedule>(settings.learningRate, settings.milestones, settings.gamma);
}

NETDRAFT_REGISTER_SCHEDULE(
    { "multistep", 30, makeMultiStepSchedule, R"PY(return gamma ** sum(1 for m in s["milestones"] if epoch >= m))PY" });

} // namespace
} // namespace netdraft::engine
