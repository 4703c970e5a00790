#include "engine/train/LearningRateSchedule.h"

#include "engine/train/OptimizerFactory.h"
#include "engine/train/ScheduleRegistry.h"

#include <algorithm>
#include <cmath>

namespace netdraft::engine {

namespace {

constexpr double pi = 3.14159265358979323846;

} // namespace

double cosineBetween(double start, double end, double fraction)
{
    return end + (start - end) / 2.0 * (std::cos(pi * fraction) + 1.0);
}

void LearningRateSchedule::apply(
    torch::optim::Optimizer& optimizer, int64_t epoch, const std::vector<double>& scales) const
{
    setLearningRate(optimizer, rateAt(epoch), scales);
}

WarmupSchedule::WarmupSchedule(double base, int64_t warmupEpochs, std::unique_ptr<LearningRateSchedule> inner)
    : base_(base)
    , warmupEpochs_(warmupEpochs)
    , inner_(std::move(inner))
{
}

double WarmupSchedule::rateAt(int64_t epoch) const
{
    if (epoch < warmupEpochs_)
        return base_ * static_cast<double>(epoch + 1) / static_cast<double>(warmupEpochs_ + 1);
    return inner_->rateAt(epoch - warmupEpochs_);
}

std::unique_ptr<LearningRateSchedule> makeSchedule(const TrainingSettings& settings)
{
    const int64_t warmup = std::max<int64_t>(settings.warmupEpochs, 0);
    const int64_t scheduled = std::max<int64_t>(settings.epochs - warmup, 1);
    std::unique_ptr<LearningRateSchedule> schedule
        = ScheduleRegistry::instance().get(settings.schedule).make(settings, scheduled);
    if (warmup == 0)
        return schedule;
    return std::make_unique<WarmupSchedule>(settings.learningRate, warmup, std::move(schedule));
}

} // namespace netdraft::engine
