#include "engine/train/LossFunction.h"

#include "engine/core/Error.h"
#include "engine/train/LossRegistry.h"

namespace netdraft::engine {

LossFunction::LossFunction(std::string name, double labelSmoothing, torch::Tensor classWeights)
    : name_(std::move(name))
    , labelSmoothing_(labelSmoothing)
    , classWeights_(std::move(classWeights))
{
    const LossEntry& entry = LossRegistry::instance().get(name_);
    compute_ = entry.compute;
    classification_ = entry.classification;
    ND_CHECK(labelSmoothing_ >= 0.0 && labelSmoothing_ < 1.0,
        "training setting label_smoothing: must be in [0, 1), got ", labelSmoothing_);
}

LossFunction LossFunction::fromSettings(const TrainingSettings& settings, torch::Tensor classWeights)
{
    return LossFunction(settings.loss, settings.labelSmoothing, std::move(classWeights));
}

torch::Tensor LossFunction::operator()(const torch::Tensor& output, const torch::Tensor& target) const
{
    return compute_(output, target, LossOptions { labelSmoothing_, classWeights_ });
}

} // namespace netdraft::engine
