// mse: mean squared error against float targets.

#include "engine/train/LossRegistry.h"

namespace netdraft::engine {
namespace {

torch::Tensor mseLoss(const torch::Tensor& output, const torch::Tensor& target, const LossOptions&)
{
    return torch::nn::functional::mse_loss(output, elementTargets(output, target));
}

NETDRAFT_REGISTER_LOSS({ "mse", 40, false, mseLoss, "return F.mse_loss(outputs, value_targets(outputs, targets))" });

} // namespace
} // namespace netdraft::engine
