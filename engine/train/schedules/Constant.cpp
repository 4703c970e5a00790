// constant: the base rate every epoch.

#include "engine/train/ScheduleRegistry.h"

namespace netdraft::engine {

double ConstantSchedule::rateAt(int64_t) const
{
    return base_;
}

namespace {

std::unique_ptr<LearningRateSchedule> makeConstantSchedule(const TrainingSettings& settings, int64_t)
{
    return std::make_unique<ConstantSchedule>(settings.learningRate);
}

NETDRAFT_REGISTER_SCHEDULE({ "constant", 10, makeConstantSchedule, "return 1.0" });

} // namespace
} // namespace netdraft::engine
