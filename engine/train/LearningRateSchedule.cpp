#include "engine/train/LearningRateSchedule.h"

#include "engine/core/Error.h"
#include "engine/train/OptimizerFactory.h"

#include <algorithm>
#include <cmath>

namespace netdraft::engine {

namespace {

constexpr double pi = 3.14159265358979323846;

/// Cosine interpolation from `start` (pct 0) to `end` (pct 1).
double cosineBetween(double start, double end, double pct)
{
    return end + (start - end) / 2.0 * (std::cos(pi * pct) + 1.0);
}

} // namespace

void LearningRateSchedule::apply(torch::optim::Optimizer& optimizer, int64_t epoch) const
{
    setLearningRate(optimizer, rateAt(epoch));
}

double ConstantSchedule::rateAt(int64_t) const
{
    return base_;
}

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

double ExponentialSchedule::rateAt(int64_t epoch) const
{
    return base_ * std::pow(gamma_, static_cast<double>(epoch));
}

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

OneCycleSchedule::OneCycleSchedule(double maximum, int64_t epochs)
    : maximum_(maximum)
    , epochs_(std::max<int64_t>(epochs, 1))
{
}

double OneCycleSchedule::rateAt(int64_t epoch) const
{
    // PyTorch's two phases end at steps float(pct_start * total) - 1 and total - 1.
    const double initial = maximum_ / divisor;
    const double phaseEnd[2]
        = { startFraction * static_cast<double>(epochs_) - 1.0, static_cast<double>(epochs_) - 1.0 };
    const double phaseFrom[2] = { initial, maximum_ };
    const double phaseTo[2] = { maximum_, initial / finalDivisor };
    const double step = static_cast<double>(std::min(epoch, epochs_ - 1));
    double phaseStart = 0.0;
    for (int phase = 0; phase < 2; ++phase) {
        if (step <= phaseEnd[phase] || phase == 1) {
            const double width = phaseEnd[phase] - phaseStart;
            return cosineBetween(phaseFrom[phase], phaseTo[phase], width > 0 ? (step - phaseStart) / width : 1.0);
        }
        phaseStart = phaseEnd[phase];
    }
    return maximum_;
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
    const double base = settings.learningRate;
    const int64_t warmup = std::max<int64_t>(settings.warmupEpochs, 0);
    const int64_t scheduled = std::max<int64_t>(settings.epochs - warmup, 1);
    const std::string& name = settings.schedule;
    std::unique_ptr<LearningRateSchedule> schedule;
    if (name == "constant")
        schedule = std::make_unique<ConstantSchedule>(base);
    else if (name == "step")
        schedule = std::make_unique<StepSchedule>(base, settings.stepSize, settings.gamma);
    else if (name == "multistep")
        schedule = std::make_unique<MultiStepSchedule>(base, settings.milestones, settings.gamma);
    else if (name == "exponential")
        schedule = std::make_unique<ExponentialSchedule>(base, settings.gamma);
    else if (name == "cosine")
        schedule = std::make_unique<CosineSchedule>(base, settings.minLearningRate, scheduled);
    else if (name == "onecycle")
        schedule = std::make_unique<OneCycleSchedule>(base, scheduled);
    ND_CHECK(schedule, "training setting schedule: expected constant, step, multistep, exponential, cosine or ",
        "onecycle, got '", name, "'");
    if (warmup == 0)
        return schedule;
    return std::make_unique<WarmupSchedule>(base, warmup, std::move(schedule));
}

} // namespace netdraft::engine
