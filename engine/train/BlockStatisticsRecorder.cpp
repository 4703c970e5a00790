#include "engine/train/BlockStatisticsRecorder.h"

namespace netdraft::engine {

torch::Tensor summaryTensor(const std::vector<torch::Tensor>& tensors, bool withNorm)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> flat;
    for (const torch::Tensor& tensor : tensors)
        if (tensor.defined() && tensor.numel() > 0)
            flat.push_back(tensor.detach().to(torch::kFloat).reshape({ -1 }));
    const int64_t size = withNorm ? 5 : 4;
    if (flat.empty())
        return torch::zeros({ size }, torch::kDouble);
    const torch::Tensor values = flat.size() == 1 ? flat.front() : torch::cat(flat);
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

BlockStatisticsRecorder::BlockStatisticsRecorder(GraphModel model, RunBlockNames names)
    : model_(std::move(model))
    , names_(std::move(names))
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
    activations_.push_back(summaryTensor(outputs));
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
        if (!gradients.empty())
            figures.push_back(summaryTensor(gradients, /*withNorm=*/true));
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
    for (const std::string& id : blockIds_) {
        const RunBlockName name = names_.find(id);
        BlockStatistics block;
        block.blockId = id;
        block.label = name.label;
        block.type = name.type;
        block.activation = summary();
        record.blocks.push_back(block);
    }
    for (size_t i = 0; i < blockIds_.size(); ++i)
        if (hasGradient[i]) {
            record.blocks[i].gradient = summary();
            record.blocks[i].gradientNorm = *value++;
        }
    blockIds_.clear();
    activations_.clear();
    return record;
}

} // namespace netdraft::engine
