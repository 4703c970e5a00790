#pragma once
// Per-epoch learning-rate schedules with optional linear warm-up. Written here because LibTorch 1.13
// ships only StepLR; each schedule is a pure function of the epoch, so its state is the epoch alone.
// Each schedule's formula and registration live in its own file in engine/train/schedules/
// (ScheduleRegistry); the classes are declared here for tests and other code to use directly.

#include "engine/project/TrainingSettings.h"

#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace netdraft::engine {

/// The learning rate of each epoch (0-based) of a run.
class LearningRateSchedule {
public:
    virtual ~LearningRateSchedule() = default;
    /// The learning rate used throughout epoch `epoch`.
    virtual double rateAt(int64_t epoch) const = 0;
    /// Sets rateAt(epoch) · scales[i] on parameter group i (per-block learning rates: scalesOf() of
    /// the groups the optimizer was made with), so that the schedule and the warm-up move every group
    /// in step.
    void apply(torch::optim::Optimizer& optimizer, int64_t epoch, const std::vector<double>& scales) const;
};

/// Cosine interpolation from `start` (fraction 0) to `end` (fraction 1).
double cosineBetween(double start, double end, double fraction);

/// The base rate every epoch.
class ConstantSchedule : public LearningRateSchedule {
public:
    explicit ConstantSchedule(double base)
        : base_(base)
    {
    }
    double rateAt(int64_t epoch) const override;

private:
    double base_;
};

/// base · gamma^⌊epoch / stepSize⌋ (PyTorch's StepLR).
class StepSchedule : public LearningRateSchedule {
public:
    StepSchedule(double base, int64_t stepSize, double gamma);
    double rateAt(int64_t epoch) const override;

private:
    double base_;
    int64_t stepSize_;
    double gamma_;
};

/// base · gamma^(number of milestones ≤ epoch) (PyTorch's MultiStepLR).
class MultiStepSchedule : public LearningRateSchedule {
public:
    MultiStepSchedule(double base, std::vector<int64_t> milestones, double gamma);
    double rateAt(int64_t epoch) const override;

private:
    double base_;
    std::vector<int64_t> milestones_;
    double gamma_;
};

/// base · gamma^epoch (PyTorch's ExponentialLR).
class ExponentialSchedule : public LearningRateSchedule {
public:
    ExponentialSchedule(double base, double gamma)
        : base_(base)
        , gamma_(gamma)
    {
    }
    double rateAt(int64_t epoch) const override;

private:
    double base_;
    double gamma_;
};

/// minimum + (base − minimum)(1 + cos(π · epoch / epochs)) / 2 (PyTorch's CosineAnnealingLR, T_max = epochs).
class CosineSchedule : public LearningRateSchedule {
public:
    CosineSchedule(double base, double minimum, int64_t epochs);
    double rateAt(int64_t epoch) const override;

private:
    double base_;
    double minimum_;
    int64_t epochs_;
};

/// PyTorch's OneCycleLR with one step per epoch: cosine from base/25 up to base over the first 30 %
/// of the epochs, then cosine down to base/25/10⁴.
class OneCycleSchedule : public LearningRateSchedule {
public:
    OneCycleSchedule(double maximum, int64_t epochs);
    double rateAt(int64_t epoch) const override;

    static constexpr double startFraction = 0.3;
    static constexpr double divisor = 25.0;
    static constexpr double finalDivisor = 1e4;

private:
    double maximum_;
    int64_t epochs_;
};

/// base · (epoch + 1) / (warmupEpochs + 1) during the warm-up, then `inner` shifted by the warm-up.
class WarmupSchedule : public LearningRateSchedule {
public:
    WarmupSchedule(double base, int64_t warmupEpochs, std::unique_ptr<LearningRateSchedule> inner);
    double rateAt(int64_t epoch) const override;

private:
    double base_;
    int64_t warmupEpochs_;
    std::unique_ptr<LearningRateSchedule> inner_;
};

/// The registered schedule settings.schedule (constant, step, multistep, exponential, cosine,
/// onecycle, ...) with the settings' learning rate and parameters, behind the warm-up when
/// warmup_epochs > 0. Throws Error naming the registered schedules for an unknown name.
std::unique_ptr<LearningRateSchedule> makeSchedule(const TrainingSettings& settings);

} // namespace netdraft::engine
