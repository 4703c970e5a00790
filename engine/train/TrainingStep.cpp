#include "engine/train/TrainingStep.h"

#include "engine/core/Error.h"

#include <cmath>
#include <future>
#include <limits>
#include <utility>

namespace netdraft::engine {

namespace {

torch::Tensor inMemoryFormat(torch::Tensor tensor, bool channelsLast)
{
    return channelsLast && tensor.dim() == 4 ? tensor.contiguous(torch::MemoryFormat::ChannelsLast) : tensor;
}

} // namespace

TrainingStep::TrainingStep(GraphModel model, std::vector<GraphModel> replicas, std::vector<torch::Device> devices,
    LossFunction loss, StepOptions options)
    : devices_(std::move(devices))
    , loss_(std::move(loss))
    , options_(options)
    , scaler_(options.lossScaling ? *options.lossScaling
                                  : GradScalerOptions().enable(options.precision == Precision::Float16))
{
    ND_CHECK(!devices_.empty(), "training: no device");
    ND_CHECK(replicas.size() + 1 == devices_.size(), "training: ", devices_.size(), " devices need ",
        devices_.size() - 1, " replicas of the model, got ", replicas.size());
    models_.push_back(std::move(model));
    for (size_t i = 0; i < replicas.size(); ++i) {
        replicas[i]->to(devices_[i + 1]);
        ND_CHECK(replicas[i]->parameters().size() == models_.front()->parameters().size(), "training: replica ", i + 1,
            " does not match the model");
        models_.push_back(std::move(replicas[i]));
    }
    if (options_.channelsLast)
        for (GraphModel& replica : models_)
            toChannelsLast(*replica);
}

void TrainingStep::toChannelsLast(torch::nn::Module& module)
{
    torch::NoGradGuard noGrad;
    for (torch::Tensor tensor : module.parameters())
        if (tensor.dim() == 4)
            tensor.set_data(tensor.contiguous(torch::MemoryFormat::ChannelsLast));
    for (torch::Tensor tensor : module.buffers())
        if (tensor.dim() == 4)
            tensor.set_data(tensor.contiguous(torch::MemoryFormat::ChannelsLast));
}

TrainingStep::ReplicaResult TrainingStep::forwardOn(
    size_t replica, torch::Tensor inputs, torch::Tensor targets, double share)
{
    const torch::Device device = devices_[replica];
    inputs = inMemoryFormat(inputs.to(device, /*non_blocking=*/true), options_.channelsLast);
    targets = targets.to(device, /*non_blocking=*/true);
    ReplicaResult result;
    AutocastGuard autocast(device, options_.precision);
    result.output = models_[replica]->forward(inputs);
    // The loss in fp32 from fp32 logits: reductions and log-softmax lose too much in bf16/fp16.
    const torch::Tensor loss = loss_(result.output.to(torch::kFloat), targets);
    result.weightedLoss = share == 1.0 ? loss : loss * share;
    return result;
}

void TrainingStep::copyWeightsToReplicas()
{
    torch::NoGradGuard noGrad;
    const std::vector<torch::Tensor> parameters = models_.front()->parameters();
    const std::vector<torch::Tensor> buffers = models_.front()->buffers();
    for (size_t r = 1; r < models_.size(); ++r) {
        std::vector<torch::Tensor> replicaParameters = models_[r]->parameters();
        std::vector<torch::Tensor> replicaBuffers = models_[r]->buffers();
        for (size_t i = 0; i < parameters.size(); ++i)
            replicaParameters[i].copy_(parameters[i]);
        for (size_t i = 0; i < buffers.size() && i < replicaBuffers.size(); ++i)
            replicaBuffers[i].copy_(buffers[i]);
    }
    // Modes too: the trainer puts frozen blocks in eval mode on the model, and a replica in training mode
    // would normalise them with its part's batch statistics. modules() lists parents before children, so
    // setting each in that order leaves every module with the model's own flag.
    const std::vector<std::shared_ptr<torch::nn::Module>> modules = models_.front()->modules();
    for (size_t r = 1; r < models_.size(); ++r) {
        const std::vector<std::shared_ptr<torch::nn::Module>> replicaModules = models_[r]->modules();
        ND_CHECK(replicaModules.size() == modules.size(), "training: replica ", r, " does not match the model");
        for (size_t i = 0; i < modules.size(); ++i)
            if (replicaModules[i]->is_training() != modules[i]->is_training())
                replicaModules[i]->train(modules[i]->is_training());
    }
}

StepForward TrainingStep::forward(const torch::Tensor& inputs, const torch::Tensor& targets)
{
    pendingLosses_.clear();
    StepForward forward;
    if (models_.size() == 1) {
        ReplicaResult result = forwardOn(0, inputs, targets, 1.0);
        forward.output = result.output.detach().to(torch::kFloat);
        forward.loss = result.weightedLoss.detach();
        pendingLosses_.push_back(result.weightedLoss);
    } else {
        copyWeightsToReplicas();
        const int64_t batch = inputs.size(0);
        const int64_t parts = std::min<int64_t>(static_cast<int64_t>(models_.size()), batch);
        const std::vector<torch::Tensor> inputParts = inputs.tensor_split(parts);
        const std::vector<torch::Tensor> targetParts = targets.tensor_split(parts);
        // Replicas after the first run on their own threads, so that several GPUs work at once; autocast
        // state is per thread, so each sets its own.
        std::vector<std::future<ReplicaResult>> others;
        auto share = [&](int64_t part) { return static_cast<double>(inputParts[part].size(0)) / batch; };
        for (int64_t part = 1; part < parts; ++part)
            others.push_back(std::async(std::launch::async, [this, part, &inputParts, &targetParts, share] {
                return forwardOn(static_cast<size_t>(part), inputParts[part], targetParts[part], share(part));
            }));
        ReplicaResult first = forwardOn(0, inputParts[0], targetParts[0], share(0));
        std::vector<torch::Tensor> outputs { first.output.detach().to(torch::kFloat) };
        torch::Tensor loss = first.weightedLoss.detach();
        pendingLosses_.push_back(first.weightedLoss);
        for (auto& other : others) {
            ReplicaResult result = other.get();
            outputs.push_back(result.output.detach().to(devices_.front()).to(torch::kFloat));
            loss = loss + result.weightedLoss.detach().to(devices_.front());
            pendingLosses_.push_back(result.weightedLoss);
        }
        forward.output = torch::cat(outputs);
        forward.loss = loss;
    }
    if (options_.readLossAfterBackward && !options_.gradients) {
        pendingLoss_ = forward.loss;
        forward.lossValue = std::numeric_limits<double>::quiet_NaN();
    } else {
        forward.lossValue = forward.loss.item<double>();
        lossValue_ = forward.lossValue;
    }
    return forward;
}

void TrainingStep::reduceGradients(size_t replicasUsed)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parameters = models_.front()->parameters();
    for (size_t r = 1; r < replicasUsed; ++r) {
        const std::vector<torch::Tensor> replicaParameters = models_[r]->parameters();
        for (size_t i = 0; i < parameters.size(); ++i) {
            const torch::Tensor& gradient = replicaParameters[i].grad();
            if (!gradient.defined())
                continue;
            torch::Tensor moved = gradient.to(devices_.front());
            if (parameters[i].grad().defined())
                parameters[i].mutable_grad().add_(moved);
            else
                parameters[i].mutable_grad() = moved.clone();
        }
    }
}

bool TrainingStep::backwardAndStep(torch::optim::Optimizer& optimizer)
{
    ND_CHECK(!pendingLosses_.empty() || options_.gradients, "training: a step needs a forward pass first");
    optimizer.zero_grad();
    for (size_t r = 1; r < models_.size(); ++r)
        for (torch::Tensor& parameter : models_[r]->parameters())
            parameter.mutable_grad().reset();
    std::vector<std::future<void>> others;
    for (size_t r = 1; r < pendingLosses_.size(); ++r)
        others.push_back(std::async(std::launch::async, [this, r] { scaler_.scale(pendingLosses_[r]).backward(); }));
    if (!pendingLosses_.empty())
        scaler_.scale(pendingLosses_.front()).backward();
    for (auto& other : others)
        other.get();
    reduceGradients(pendingLosses_.size());
    pendingLosses_.clear();
    if (options_.gradients)
        options_.gradients->finish();

    const std::vector<torch::Tensor> parameters = models_.front()->parameters();
    gradientsNonFinite_ = false;
    const torch::Tensor loss = std::exchange(pendingLoss_, torch::Tensor());
    // One sum per gradient, in double (no overflow of finite values): NaN or inf anywhere makes the
    // total non-finite. It travels with the loss, when the loss is read here, in one transfer.
    std::vector<torch::Tensor> checked;
    if (loss.defined())
        checked.push_back(loss.to(torch::kDouble).reshape({}));
    const bool checkGradients = options_.checkGradients && !scaler_.enabled();
    if (checkGradients)
        for (const torch::Tensor& parameter : parameters)
            if (parameter.grad().defined())
                checked.push_back(parameter.grad().sum(torch::kDouble));
    if (!checked.empty()) {
        const torch::Tensor read = torch::stack(checked).cpu();
        const double* values = read.data_ptr<double>();
        size_t gradientsFrom = 0;
        if (loss.defined()) {
            lossValue_ = values[0];
            gradientsFrom = 1;
            if (!std::isfinite(lossValue_))
                return false;
        }
        if (checkGradients && read.numel() > static_cast<int64_t>(gradientsFrom)) {
            double total = 0.0;
            for (int64_t i = static_cast<int64_t>(gradientsFrom); i < read.numel(); ++i)
                total += values[i];
            if (!std::isfinite(total)) {
                gradientsNonFinite_ = true;
                return false;
            }
        }
    }
    if (options_.gradientClipNorm > 0) {
        scaler_.unscale(parameters);
        torch::nn::utils::clip_grad_norm_(parameters, options_.gradientClipNorm);
    }
    const bool stepped = scaler_.step(optimizer, parameters);
    scaler_.update();
    return stepped;
}

} // namespace netdraft::engine
