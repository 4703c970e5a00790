#include "engine/train/LossRegistry.h"

#include "engine/core/Error.h"

namespace netdraft::engine {

LossRegistry::LossRegistry()
    : NamedRegistry("training setting loss")
{
}

LossRegistry& LossRegistry::instance()
{
    static LossRegistry registry;
    return registry;
}

void LossRegistry::add(LossEntry entry)
{
    TrainingSettings::addLoss(entry.name, entry.listPosition, entry.classification);
    NamedRegistry::add(std::move(entry));
}

torch::Tensor classIndexTargets(const std::string& loss, const torch::Tensor& output, const torch::Tensor& target)
{
    ND_CHECK(output.dim() >= 2, "loss ", loss, ": expects class scores N×C, got output shape ", output.sizes());
    ND_CHECK(target.dim() == 1 && target.size(0) == output.size(0), "loss ", loss,
        ": expects one class index per sample (", output.size(0), "), got targets of shape ", target.sizes());
    return target.to(torch::kLong);
}

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

} // namespace netdraft::engine
