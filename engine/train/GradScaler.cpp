#include "engine/train/GradScaler.h"

#include "engine/core/Error.h"

namespace netdraft::engine {

GradScaler::GradScaler(GradScalerOptions options)
    : options_(options)
    , scale_(options.initialScale)
{
    ND_CHECK(options_.initialScale > 0, "gradient scaler: the initial scale must be positive");
    ND_CHECK(options_.growthFactor > 1, "gradient scaler: the growth factor must be above 1");
    ND_CHECK(options_.backoffFactor > 0 && options_.backoffFactor < 1,
        "gradient scaler: the backoff factor must be between 0 and 1");
    ND_CHECK(options_.growthInterval > 0, "gradient scaler: the growth interval must be positive");
}

torch::Tensor GradScaler::scale(const torch::Tensor& loss) const
{
    if (!options_.enabled)
        return loss;
    return loss * scale_;
}

bool GradScaler::unscale(const std::vector<torch::Tensor>& parameters)
{
    if (!options_.enabled || unscaled_)
        return foundNonFinite_;
    torch::NoGradGuard noGrad;
    const double inverse = 1.0 / scale_;
    // The flags are read once at the end: one host synchronisation per step, not one per tensor.
    std::vector<torch::Tensor> flags;
    for (const torch::Tensor& parameter : parameters) {
        const torch::Tensor& gradient = parameter.grad();
        if (!gradient.defined())
            continue;
        gradient.mul_(inverse);
        torch::Tensor flag = torch::isfinite(gradient).logical_not().any();
        flags.push_back(flags.empty() ? flag : flag.to(flags.front().device()));
    }
    foundNonFinite_ = !flags.empty() && torch::stack(flags).any().item<bool>();
    unscaled_ = true;
    return foundNonFinite_;
}

bool GradScaler::step(torch::optim::Optimizer& optimizer, const std::vector<torch::Tensor>& parameters)
{
    if (!options_.enabled) {
        optimizer.step();
        return true;
    }
    unscale(parameters);
    if (foundNonFinite_) {
        ++skippedSteps_;
        return false;
    }
    optimizer.step();
    return true;
}

void GradScaler::update()
{
    if (!options_.enabled)
        return;
    if (foundNonFinite_) {
        scale_ *= options_.backoffFactor;
        growthTracker_ = 0;
    } else if (++growthTracker_ == options_.growthInterval) {
        scale_ *= options_.growthFactor;
        growthTracker_ = 0;
    }
    unscaled_ = false;
    foundNonFinite_ = false;
}

} // namespace netdraft::engine
