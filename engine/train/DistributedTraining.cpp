#include "engine/train/DistributedTraining.h"

#include <cmath>

namespace netdraft::engine {

StepAgreement agreeOnStep(DistributedContext& context, double localLoss, int64_t localSamples, bool stopRequested)
{
    const double weighted = localSamples > 0 ? localLoss * static_cast<double>(localSamples) : 0.0;
    at::Tensor values = torch::tensor({ weighted, static_cast<double>(localSamples), stopRequested ? 1.0 : 0.0 },
        torch::TensorOptions().dtype(torch::kFloat64));
    context.allReduceSum(values, "the step's loss all-reduce");
    StepAgreement agreement;
    agreement.samples = static_cast<int64_t>(values[1].item<double>());
    agreement.loss = agreement.samples > 0 ? values[0].item<double>() / static_cast<double>(agreement.samples) : 0.0;
    agreement.stop = values[2].item<double>() > 0;
    agreement.share = agreement.samples > 0 ? static_cast<double>(localSamples) / static_cast<double>(agreement.samples) : 0.0;
    return agreement;
}

Metrics reduceMetrics(DistributedContext& context, const Metrics& local)
{
    // Each figure is a mean over samples: weight by the rank's samples, sum, divide. A figure a rank
    // lacks (it saw no samples) counts as zero; "present" counts the ranks that have it.
    const double samples = static_cast<double>(local.samples);
    auto term = [&](const std::optional<double>& value, bool squared = false) {
        return value ? (squared ? *value * *value : *value) * samples : 0.0;
    };
    at::Tensor values = torch::tensor({ samples, local.loss * samples, term(local.accuracy),
                                          term(local.topFiveAccuracy), term(local.meanAbsoluteError),
                                          term(local.rootMeanSquaredError, true), local.accuracy ? 1.0 : 0.0,
                                          local.topFiveAccuracy ? 1.0 : 0.0, local.meanAbsoluteError ? 1.0 : 0.0 },
        torch::TensorOptions().dtype(torch::kFloat64));
    context.allReduceSum(values, "the epoch's metrics all-reduce");
    const auto sums = values.accessor<double, 1>();
    Metrics global;
    global.samples = static_cast<int64_t>(sums[0]);
    const double total = std::max(sums[0], 1.0);
    global.loss = sums[1] / total;
    if (sums[6] > 0)
        global.accuracy = sums[2] / total;
    if (sums[7] > 0)
        global.topFiveAccuracy = sums[3] / total;
    if (sums[8] > 0) {
        global.meanAbsoluteError = sums[4] / total;
        global.rootMeanSquaredError = std::sqrt(sums[5] / total);
    }
    return global;
}

void broadcastModel(DistributedContext& context, torch::nn::Module& model)
{
    std::vector<at::Tensor> tensors = model.parameters();
    for (const at::Tensor& buffer : model.buffers())
        tensors.push_back(buffer);
    context.broadcastFromMain(tensors);
}

} // namespace netdraft::engine
