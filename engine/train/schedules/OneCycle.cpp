// onecycle: PyTorch's OneCycleLR stepped once per epoch (up, then down, by cosines).

#include "engine/train/ScheduleRegistry.h"

#include <algorithm>

namespace netdraft::engine {

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

namespace {

std::unique_ptr<LearningRateSchedule> makeOneCycleSchedule(const TrainingSettings& settings, int64_t scheduledEpochs)
{
    return std::make_unique<OneCycleSchedule>(settings.learningRate, scheduledEpochs);
}

NETDRAFT_REGISTER_SCHEDULE({ "onecycle", 60, makeOneCycleSchedule,
    R"PY(# onecycle is approximated per epoch by a cosine decay here.
low = s["min_learning_rate"] / s["learning_rate"] if s["learning_rate"] else 0.0
return low + (1 - low) * (1 + math.cos(math.pi * min(epoch, scheduled) / scheduled)) / 2)PY" });

} // namespace
} // namespace netdraft::engine
