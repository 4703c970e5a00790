// l1: mean absolute error against float targets.

#include "engine/train/LossRegistry.h"

namespace netdraft::engine {
namespace {

torch::Tensor l1Loss(const torch::Tensor& output, const torch::Tensor& target, const LossOptions&)
{
    return torch::nn::functional::l1_loss(output, elementTargets(output, target));
}

NETDRAFT_REGISTER_LOSS({ "l1", 50, false, l1Loss, "return F.l1_loss(outputs, value_targets(outputs, targets))" });

} // namespace
} // namespace netdraft::engine
