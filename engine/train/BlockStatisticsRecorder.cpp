#include "engine/train/BlockStatisticsRecorder.h"

#include <cmath>

namespace netdraft::engine {

namespace {

/// All values of `tensors` in one flat float tensor; undefined when there are none.
torch::Tensor flatValues(const std::vector<torch::Tensor>& tensors)
{
    std::vector<torch::Tensor> flat;
    for (const torch::Tensor& tensor : tensors)
        if (tensor.defined() && tensor.numel() > 0)
            flat.push_back(tensor.detach().to(torch::kFloat).reshape({ -1 }));
    if (flat.empty())
        return {};
    return flat.size() == 1 ? flat.front() : torch::cat(flat);
}

torch::Tensor summaryOf(const torch::Tensor& values, bool withNorm)
{
    const int64_t size = withNorm ? 5 : 4;
    if (!values.defined())
        return torch::zeros({ size }, torch::kDouble);
    // Passes over the values without temporaries of their size: recording must stay cheap (bench/README.md).
    auto [std, mean] = torch::std_mean(values, /*unbiased=*/false);
    auto [lowest, highest] = torch::aminmax(values);
    const double count = static_cast<double>(values.numel());
    std::vector<torch::Tensor> parts { mean, std, 1.0 - torch::count_nonzero(values).to(torch::kFloat) / count,
        torch::maximum(lowest.abs(), highest.abs()) };
    if (withNorm)
        parts.push_back(values.norm());
    return torch::stack(parts).to(torch::kDouble);
}

torch::Tensor histogramOf(const torch::Tensor& values, int64_t bins)
{
    torch::Tensor result = torch::zeros({ bins + 2 }, torch::TensorOptions(torch::kDouble));
    if (!values.defined())
        return result;
    // histc takes its range as numbers: reading them waits for the device, once per block and recorded batch.
    auto [lowest, highest] = torch::aminmax(values);
    double low = lowest.item<double>();
    double high = highest.item<double>();
    if (!std::isfinite(low) || !std::isfinite(high))
        return result.to(values.device());
    if (low == high) { // histc's own widening for equal values
        low -= 1.0;
        high += 1.0;
    }
    const torch::Tensor counts = torch::histc(values, bins, low, high).to(torch::kDouble);
    result = result.to(values.device());
    result[0] = low;
    result[1] = high;
    result.slice(0, 2).copy_(counts);
    return result;
}

} // namespace

torch::Tensor summaryTensor(const std::vector<torch::Tensor>& tensors, bool withNorm)
{
    torch::NoGradGuard noGrad;
    return summaryOf(flatValues(tensors), withNorm);
}

torch::Tensor histogramTensor(const std::vector<torch::Tensor>& tensors, int64_t bins)
{
    torch::NoGradGuard noGrad;
    return histogramOf(flatValues(tensors), bins);
}

BlockStatisticsRecorder::BlockStatisticsRecorder(GraphModel model, RunBlockNames names, int64_t histogramBins)
    : model_(std::move(model))
    , names_(std::move(names))
    , histogramBins_(histogramBins)
{
}

BlockStatisticsRecorder::~BlockStatisticsRecorder()
{
    stop();
}

void BlockStatisticsRecorder::start()
{
    blockIds_.clear();
    activations_.clear();
    model_->setStepWatcher(this);
    watching_ = true;
}

void BlockStatisticsRecorder::stop()
{
    if (watching_)
        model_->setStepWatcher(nullptr);
    watching_ = false;
}

void BlockStatisticsRecorder::afterStep(
    size_t, const std::string& blockId, const std::vector<torch::Tensor>&, const std::vector<torch::Tensor>& outputs)
{
    const std::string type = names_.find(blockId).type;
    if (type == "Input" || type == "Output")
        return;
    blockIds_.push_back(blockId);
    torch::NoGradGuard noGrad;
    const torch::Tensor values = flatValues(outputs);
    activations_.push_back(summaryOf(values, false));
    if (histogramBins_ > 0)
        activations_.push_back(histogramOf(values, histogramBins_));
}

StatisticsRecord BlockStatisticsRecorder::finish(int64_t epoch, int64_t batch, int64_t step)
{
    stop();
    StatisticsRecord record;
    record.epoch = epoch;
    record.batch = batch;
    record.step = step;
    if (blockIds_.empty())
        return record;
    std::vector<torch::Tensor> figures = activations_;
    std::vector<bool> hasGradient;
    for (const std::string& id : blockIds_) {
        std::vector<torch::Tensor> gradients;
        if (auto module = model_->blockModule(id))
            for (const torch::Tensor& parameter : module->parameters())
                if (parameter.requires_grad() && parameter.grad().defined())
                    gradients.push_back(parameter.grad());
        hasGradient.push_back(!gradients.empty());
        if (!gradients.empty()) {
            torch::NoGradGuard noGrad;
            const torch::Tensor values = flatValues(gradients);
            figures.push_back(summaryOf(values, /*withNorm=*/true));
            if (histogramBins_ > 0)
                figures.push_back(histogramOf(values, histogramBins_));
        }
    }
    const torch::Device device = figures.front().device();
    for (torch::Tensor& figure : figures)
        figure = figure.to(device); // a block with no values gave zeros on the CPU
    const torch::Tensor all = torch::cat(figures).cpu(); // the one transfer
    const double* value = all.data_ptr<double>();
    auto summary = [&value] {
        ValueSummary result { value[0], value[1], value[2], value[3] };
        value += 4;
        return result;
    };
    const int64_t bins = histogramBins_;
    auto histogram = [&value, bins]() -> std::optional<ValueHistogram> {
        if (bins <= 0)
            return std::nullopt;
        ValueHistogram result { value[0], value[1], std::vector<double>(value + 2, value + 2 + bins) };
        value += 2 + bins;
        if (!(result.low < result.high)) // no values, or one was not finite
            return std::nullopt;
        return result;
    };
    for (const std::string& id : blockIds_) {
        const RunBlockName name = names_.find(id);
        BlockStatistics block;
        block.blockId = id;
        block.label = name.label;
        block.type = name.type;
        block.activation = summary();
        block.activationHistogram = histogram();
        record.blocks.push_back(block);
    }
    for (size_t i = 0; i < blockIds_.size(); ++i)
        if (hasGradient[i]) {
            record.blocks[i].gradient = summary();
            record.blocks[i].gradientNorm = *value++;
            record.blocks[i].gradientHistogram = histogram();
        }
    blockIds_.clear();
    activations_.clear();
    return record;
}

} // namespace netdraft::engine
