// step: decays by gamma every step_size epochs (PyTorch's StepLR).

#include "engine/core/Error.h"
#include "engine/train/ScheduleRegistry.h"

#include <cmath>

namespace netdraft::engine {

StepSchedule::StepSchedule(double base, int64_t stepSize, double gamma)
    : base_(base)
    , stepSize_(stepSize)
    , gamma_(gamma)
{
    ND_CHECK(stepSize >= 1, "training setting step_size: must be >= 1, got ", stepSize);
}

double StepSchedule::rateAt(int64_t epoch) const
{
    return base_ * std::pow(gamma_, static_cast<double>(epoch / stepSize_));
}

namespace {

std::unique_ptr<LearningRateSchedule> makeStepSchedule(const TrainingSettings& settings, int64_t)
{
    return std::make_unique<StepSchedule>(settings.learningRate, settings.stepSize, settings.gamma);
}

NETDRAFT_REGISTER_SCHEDULE({ "step", 20, makeStepSchedule, R"PY(return gamma ** (epoch // s["step_size"]))PY" });

} // namespace
} // namespace netdraft::engine
