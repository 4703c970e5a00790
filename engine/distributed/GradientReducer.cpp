#include "engine/distributed/GradientReducer.h"

#include "engine/core/Error.h"

namespace netdraft::engine {

GradientReducer::GradientReducer(
    std::shared_ptr<DistributedContext> context, std::vector<at::Tensor> parameters, int64_t bucketBytes)
    : context_(std::move(context))
    , parameters_(std::move(parameters))
    , slots_(parameters_.size())
{
    // Backward produces the last layers' gradients first, so buckets fill from the end of the list.
    Bucket current;
    int64_t bytes = 0;
    at::ScalarType type = at::kFloat;
    auto close = [&] {
        if (current.parameters.empty())
            return;
        int64_t elements = 0;
        for (size_t index : current.parameters) {
            slots_[index] = { buckets_.size(), elements, false };
            elements += parameters_[index].numel();
        }
        current.flat = torch::zeros({ elements }, parameters_[current.parameters.front()].options().requires_grad(false));
        buckets_.push_back(std::move(current));
        current = Bucket();
        bytes = 0;
    };
    for (size_t i = parameters_.size(); i-- > 0;) {
        const at::Tensor& parameter = parameters_[i];
        const int64_t size = parameter.numel() * static_cast<int64_t>(parameter.element_size());
        if (!current.parameters.empty() && (bytes + size > bucketBytes || parameter.scalar_type() != type))
            close();
        type = parameter.scalar_type();
        current.parameters.push_back(i);
        bytes += size;
    }
    close();
    for (size_t i = 0; i < parameters_.size(); ++i)
        hooks_.push_back(parameters_[i].register_hook([this, i](const at::Tensor& gradient) { onGradient(i, gradient); }));
}

GradientReducer::~GradientReducer()
{
    for (size_t i = 0; i < hooks_.size(); ++i)
        parameters_[i].remove_hook(hooks_[i]);
}

void GradientReducer::prepare(double share)
{
    share_ = share;
    prepared_ = true;
    nextToLaunch_ = 0;
    for (Slot& slot : slots_)
        slot.ready = false;
    for (Bucket& bucket : buckets_) {
        bucket.pending = bucket.parameters.size();
        bucket.work.reset();
    }
}

void GradientReducer::onGradient(size_t parameter, const at::Tensor& gradient)
{
    if (!prepared_ || slots_[parameter].ready)
        return;
    Slot& slot = slots_[parameter];
    Bucket& bucket = buckets_[slot.bucket];
    torch::NoGradGuard noGradients;
    at::Tensor place = bucket.flat.narrow(0, slot.offset, gradient.numel());
    place.copy_(gradient.reshape({ -1 }));
    if (share_ != 1.0)
        place.mul_(share_);
    slot.ready = true;
    if (--bucket.pending == 0)
        launchReady();
}

void GradientReducer::launch(Bucket& bucket)
{
    bucket.work = context_->startAllReduceSum(bucket.flat);
}

void GradientReducer::launchReady()
{
    while (nextToLaunch_ < buckets_.size() && buckets_[nextToLaunch_].pending == 0)
        launch(buckets_[nextToLaunch_++]);
}

void GradientReducer::finish()
{
    ND_CHECK(prepared_, "distributed: gradients reduced without a prepared step");
    torch::NoGradGuard noGradients;
    // Parameters without a gradient this step (unused, or no samples on this rank) add zeros.
    for (size_t i = 0; i < slots_.size(); ++i) {
        Slot& slot = slots_[i];
        if (slot.ready)
            continue;
        Bucket& bucket = buckets_[slot.bucket];
        bucket.flat.narrow(0, slot.offset, parameters_[i].numel()).zero_();
        slot.ready = true;
        --bucket.pending;
    }
    launchReady();
    for (Bucket& bucket : buckets_)
        context_->wait(bucket.work, "the gradient all-reduce");
    for (size_t i = 0; i < parameters_.size(); ++i) {
        at::Tensor& parameter = parameters_[i];
        const Slot& slot = slots_[i];
        at::Tensor sum = buckets_[slot.bucket].flat.narrow(0, slot.offset, parameter.numel()).view(parameter.sizes());
        if (parameter.grad().defined())
            parameter.mutable_grad().copy_(sum);
        else
            parameter.mutable_grad() = sum.clone();
    }
    prepared_ = false;
}

} // namespace netdraft::engine
