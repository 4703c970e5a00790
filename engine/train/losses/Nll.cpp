// nll: negative log-likelihood of log-probabilities (the output of a LogSoftmax), with class weights.

#include "engine/train/LossRegistry.h"

namespace netdraft::engine {
namespace {

torch::Tensor nllLoss(const torch::Tensor& output, const torch::Tensor& target, const LossOptions& options)
{
    namespace F = torch::nn::functional;
    return F::nll_loss(output, classIndexTargets("nll", output, target),
        F::NLLLossFuncOptions().weight(weightsOn(options.classWeights, output)));
}

NETDRAFT_REGISTER_LOSS({ "nll", 20, true, nllLoss, "return F.nll_loss(outputs, targets)" });

} // namespace
} // namespace netdraft::engine
