#include "engine/train/LossFunction.h"

#include "engine/core/Error.h"

#include <algorithm>

namespace netdraft::engine {

namespace F = torch::nn::functional;

namespace {

/// Float targets shaped like `output`, for element-wise losses.
torch::Tensor elementTargets(const torch::Tensor& output, const torch::Tensor& target)
{
    torch::Tensor values = target.to(output.scalar_type());
    if (values.sizes() == output.sizes())
        return values;
    ND_CHECK(values.numel() == output.numel(), "loss: the targets have shape ", values.sizes(),
        " but the network's output has shape ", output.sizes());
    return values.reshape(output.sizes());
}

torch::Tensor weightsOn(const torch::Tensor& weights, const torch::Tensor& output)
{
    return weights.defined() ? weights.to(output.device(), output.scalar_type()) : weights;
}

} // namespace

LossFunction::LossFunction(std::string name, double labelSmoothing, torch::Tensor classWeights)
    : name_(std::move(name))
    , labelSmoothing_(labelSmoothing)
    , classWeights_(std::move(classWeights))
{
    static const char* const known[] = { "cross_entropy", "nll", "bce_with_logits", "mse", "l1", "smooth_l1" };
    ND_CHECK(std::find(std::begin(known), std::end(known), name_) != std::end(known),
        "training setting loss: expected cross_entropy, nll, bce_with_logits, mse, l1 or smooth_l1, got '", name_, "'");
    ND_CHECK(labelSmoothing_ >= 0.0 && labelSmoothing_ < 1.0,
        "training setting label_smoothing: must be in [0, 1), got ", labelSmoothing_);
}

LossFunction LossFunction::fromSettings(const TrainingSettings& settings, torch::Tensor classWeights)
{
    return LossFunction(settings.loss, settings.labelSmoothing, std::move(classWeights));
}

bool LossFunction::isClassification() const
{
    return isClassificationLoss(name_);
}

torch::Tensor LossFunction::operator()(const torch::Tensor& output, const torch::Tensor& target) const
{
    if (name_ == "cross_entropy" || name_ == "nll") {
        ND_CHECK(output.dim() >= 2, "loss ", name_, ": expects class scores N×C, got output shape ", output.sizes());
        ND_CHECK(target.dim() == 1 && target.size(0) == output.size(0), "loss ", name_,
            ": expects one class index per sample (", output.size(0), "), got targets of shape ", target.sizes());
        const torch::Tensor labels = target.to(torch::kLong);
        if (name_ == "nll")
            return F::nll_loss(output, labels, F::NLLLossFuncOptions().weight(weightsOn(classWeights_, output)));
        return F::cross_entropy(output, labels,
            F::CrossEntropyFuncOptions().weight(weightsOn(classWeights_, output)).label_smoothing(labelSmoothing_));
    }
    if (name_ == "bce_with_logits") {
        torch::Tensor values;
        const bool indexes = !target.is_floating_point();
        if (indexes && output.dim() == 2 && output.size(1) > 1 && target.dim() == 1)
            values = F::one_hot(target.to(torch::kLong), output.size(1)).to(output.scalar_type());
        else
            values = elementTargets(output, target);
        return F::binary_cross_entropy_with_logits(
            output, values, F::BinaryCrossEntropyWithLogitsFuncOptions().weight(weightsOn(classWeights_, output)));
    }
    const torch::Tensor values = elementTargets(output, target);
    if (name_ == "mse")
        return F::mse_loss(output, values);
    if (name_ == "l1")
        return F::l1_loss(output, values);
    return F::smooth_l1_loss(output, values);
}

} // namespace netdraft::engine
