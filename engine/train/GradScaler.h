#pragma once
// Loss scaling for fp16 mixed precision: small fp16 gradients underflow to zero unless the loss is
// multiplied before backward; the gradients are divided back before the optimizer step, and a step whose
// gradients overflowed is skipped. The same rules as torch.cuda.amp.GradScaler, written here because
// LibTorch 1.13 has none.

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace netdraft::engine {

/// Options of GradScaler, with PyTorch's defaults.
struct GradScalerOptions {
    double initialScale = 65536.0; ///< 2^16
    double growthFactor = 2.0; ///< the scale is multiplied by this after growthInterval clean steps
    double backoffFactor = 0.5; ///< and by this after a step whose gradients were not finite
    int64_t growthInterval = 2000;
    bool enabled = true; ///< false: scale() and unscale() change nothing, step() always steps

    GradScalerOptions& initial(double value)
    {
        initialScale = value;
        return *this;
    }
    GradScalerOptions& growth(double value)
    {
        growthFactor = value;
        return *this;
    }
    GradScalerOptions& backoff(double value)
    {
        backoffFactor = value;
        return *this;
    }
    GradScalerOptions& interval(int64_t value)
    {
        growthInterval = value;
        return *this;
    }
    GradScalerOptions& enable(bool value)
    {
        enabled = value;
        return *this;
    }
};

/// Per step: backward(scale(loss)); unscale(parameters) (optional, before gradient clipping);
/// step(optimizer, parameters); update().
class GradScaler {
public:
    explicit GradScaler(GradScalerOptions options = {});

    /// loss × scale (the loss unchanged when disabled).
    torch::Tensor scale(const torch::Tensor& loss) const;
    /// Divides every gradient of `parameters` by the scale in place, once per step, and records
    /// whether any of them holds an infinity or a NaN. Returns that.
    bool unscale(const std::vector<torch::Tensor>& parameters);
    /// Unscales if not done yet, then runs the optimizer step unless the gradients were not finite.
    /// Returns whether it stepped.
    bool step(torch::optim::Optimizer& optimizer, const std::vector<torch::Tensor>& parameters);
    /// Backs the scale off after an overflow, or grows it after growthInterval clean steps in a row;
    /// then readies the next step.
    void update();

    double currentScale() const { return scale_; }
    /// Clean steps since the scale last changed.
    int64_t growthTracker() const { return growthTracker_; }
    bool foundNonFinite() const { return foundNonFinite_; }
    bool enabled() const { return options_.enabled; }
    /// Steps skipped since construction.
    int64_t skippedSteps() const { return skippedSteps_; }

private:
    GradScalerOptions options_;
    double scale_;
    int64_t growthTracker_ = 0;
    int64_t skippedSteps_ = 0;
    bool unscaled_ = false;
    bool foundNonFinite_ = false;
};

} // namespace netdraft::engine
