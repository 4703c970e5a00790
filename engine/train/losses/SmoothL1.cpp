// smooth_l1: Huber-like loss (quadratic below 1, linear above) against float targets.

#include "engine/train/LossRegistry.h"

namespace netdraft::engine {
namespace {

torch::Tensor smoothL1Loss(const torch::Tensor& output, const torch::Tensor& target, const LossOptions&)
{
    return torch::nn::functional::smooth_l1_loss(output, elementTargets(output, target));
}

NETDRAFT_REGISTER_LOSS(
    { "smooth_l1", 60, false, smoothL1Loss, "return F.smooth_l1_loss(outputs, value_targets(outputs, targets))" });

} // namespace
} // namespace netdraft::engine
