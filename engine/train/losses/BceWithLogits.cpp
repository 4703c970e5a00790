// bce_with_logits: binary cross-entropy on logits, per output column; class indexes become one-hot
// rows when the output has several columns.

#include "engine/train/LossRegistry.h"

namespace netdraft::engine {
namespace {

torch::Tensor bceWithLogitsLoss(const torch::Tensor& output, const torch::Tensor& target, const LossOptions& options)
{
    namespace F = torch::nn::functional;
    torch::Tensor values;
    const bool indexes = !target.is_floating_point();
    if (indexes && output.dim() == 2 && output.size(1) > 1 && target.dim() == 1)
        values = F::one_hot(target.to(torch::kLong), output.size(1)).to(output.scalar_type());
    else
        values = elementTargets(output, target);
    return F::binary_cross_entropy_with_logits(
        output, values, F::BinaryCrossEntropyWithLogitsFuncOptions().weight(weightsOn(options.classWeights, output)));
}

NETDRAFT_REGISTER_LOSS({ "bce_with_logits", 30, true, bceWithLogitsLoss,
    "return F.binary_cross_entropy_with_logits(outputs, value_targets(outputs, targets))" });

} // namespace
} // namespace netdraft::engine
