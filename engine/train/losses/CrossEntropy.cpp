// cross_entropy: softmax cross-entropy over class scores, with label smoothing and class weights.

#include "engine/train/LossRegistry.h"

namespace netdraft::engine {
namespace {

torch::Tensor crossEntropyLoss(const torch::Tensor& output, const torch::Tensor& target, const LossOptions& options)
{
    namespace F = torch::nn::functional;
    return F::cross_entropy(output, classIndexTargets("cross_entropy", output, target),
        F::CrossEntropyFuncOptions()
            .weight(weightsOn(options.classWeights, output))
            .label_smoothing(options.labelSmoothing));
}

NETDRAFT_REGISTER_LOSS({ "cross_entropy", 10, true, crossEntropyLoss,
    R"PY(return F.cross_entropy(outputs, targets, label_smoothing=s["label_smoothing"]))PY" });

} // namespace
} // namespace netdraft::engine
