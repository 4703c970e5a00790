#include "engine/train/Metrics.h"

#include "engine/core/Error.h"

#include <cmath>
#include <limits>

namespace netdraft::engine {

namespace {

void accumulate(torch::Tensor& sum, const torch::Tensor& value)
{
    sum = sum.defined() ? sum + value : value;
}

double valueOf(const torch::Tensor& sum)
{
    return sum.defined() ? sum.item<double>() : 0.0;
}

} // namespace

torch::Tensor confusionMatrix(const torch::Tensor& predicted, const torch::Tensor& target, int64_t classes)
{
    ND_CHECK(predicted.numel() == target.numel(), "confusion matrix: ", predicted.numel(), " predictions for ",
        target.numel(), " targets");
    const torch::Tensor truth = target.reshape({ -1 }).to(torch::kLong);
    const torch::Tensor guess = predicted.reshape({ -1 }).to(torch::kLong);
    // Out-of-range indexes would silently land in a neighbouring cell.
    if (truth.numel() > 0) {
        ND_CHECK(truth.min().item<int64_t>() >= 0 && truth.max().item<int64_t>() < classes,
            "confusion matrix: a target class lies outside 0..", classes - 1);
        ND_CHECK(guess.min().item<int64_t>() >= 0 && guess.max().item<int64_t>() < classes,
            "confusion matrix: a predicted class lies outside 0..", classes - 1);
    }
    return torch::bincount(truth * classes + guess, {}, classes * classes).reshape({ classes, classes });
}

std::vector<double> perClassAccuracy(const torch::Tensor& confusion)
{
    const torch::Tensor counts = confusion.to(torch::kCPU, torch::kLong);
    std::vector<double> result;
    for (int64_t row = 0; row < counts.size(0); ++row) {
        const int64_t total = counts[row].sum().item<int64_t>();
        result.push_back(total == 0 ? std::numeric_limits<double>::quiet_NaN()
                                    : static_cast<double>(counts[row][row].item<int64_t>()) / total);
    }
    return result;
}

torch::Tensor predictedClasses(const torch::Tensor& output)
{
    if (output.dim() == 1 || (output.dim() == 2 && output.size(1) == 1))
        return (output.reshape({ -1 }) > 0).to(torch::kLong);
    return output.argmax(1);
}

MetricAccumulator::MetricAccumulator(Options options)
    : options_(options)
{
}

void MetricAccumulator::add(const torch::Tensor& output, const torch::Tensor& target, const torch::Tensor& loss)
{
    torch::NoGradGuard noGrad;
    const int64_t batch = output.size(0);
    accumulate(lossSum_, loss.detach().to(torch::kDouble) * static_cast<double>(batch));
    samples_ += batch;
    if (!target.is_floating_point()) {
        classification_ = true;
        const torch::Tensor labels = target.reshape({ -1 }).to(torch::kLong);
        const torch::Tensor predicted = predictedClasses(output);
        accumulate(correct_, predicted.eq(labels).sum());
        const int64_t classes = output.dim() == 2 && output.size(1) > 1 ? output.size(1) : 2;
        if (options_.topFive) {
            const torch::Tensor top = output.dim() == 2 && output.size(1) > 1
                ? std::get<1>(output.topk(std::min<int64_t>(5, classes), 1))
                : predicted.unsqueeze(1);
            accumulate(topFiveCorrect_, top.eq(labels.unsqueeze(1)).any(1).sum());
        }
        if (options_.confusion)
            accumulate(confusion_, confusionMatrix(predicted, labels, classes));
    } else {
        regression_ = true;
        const torch::Tensor difference = output.detach().reshape({ -1 }).to(torch::kDouble)
            - target.reshape({ -1 }).to(output.device(), torch::kDouble);
        accumulate(absoluteErrorSum_, difference.abs().sum());
        accumulate(squaredErrorSum_, difference.square().sum());
        regressionValues_ += difference.numel();
    }
}

double MetricAccumulator::runningLoss() const
{
    return samples_ == 0 ? 0.0 : valueOf(lossSum_) / static_cast<double>(samples_);
}

std::optional<double> MetricAccumulator::runningAccuracy() const
{
    if (!classification_ || samples_ == 0)
        return std::nullopt;
    return valueOf(correct_) / static_cast<double>(samples_);
}

Metrics MetricAccumulator::result() const
{
    Metrics metrics;
    metrics.samples = samples_;
    metrics.loss = runningLoss();
    if (classification_ && samples_ > 0) {
        metrics.accuracy = runningAccuracy();
        if (options_.topFive)
            metrics.topFiveAccuracy = valueOf(topFiveCorrect_) / static_cast<double>(samples_);
        if (options_.confusion && confusion_.defined()) {
            const torch::Tensor counts = confusion_.to(torch::kCPU, torch::kLong).contiguous();
            metrics.perClassAccuracy = perClassAccuracy(counts);
            for (int64_t row = 0; row < counts.size(0); ++row) {
                const int64_t* begin = counts[row].data_ptr<int64_t>();
                metrics.confusionMatrix.emplace_back(begin, begin + counts.size(1));
            }
        }
    }
    if (regression_ && regressionValues_ > 0) {
        metrics.meanAbsoluteError = valueOf(absoluteErrorSum_) / static_cast<double>(regressionValues_);
        metrics.rootMeanSquaredError = std::sqrt(valueOf(squaredErrorSum_) / static_cast<double>(regressionValues_));
    }
    return metrics;
}

} // namespace netdraft::engine
