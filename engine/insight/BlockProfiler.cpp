#include "engine/insight/BlockProfiler.h"

#include "engine/core/Error.h"
#include "engine/model/GraphModel.h"
#include "engine/train/DeviceSelection.h"

#include <torch/cuda.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>

namespace netdraft::engine {

namespace {

using Clock = std::chrono::steady_clock;

/// Waits for the device's queued work, so that a clock reading marks the end of what ran before it.
void synchronize(const torch::Device& device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.index());
}

double millisecondsBetween(Clock::time_point start, Clock::time_point end)
{
    return std::chrono::duration<double, std::milli>(end - start).count();
}

/// Times each step of a forward pass, and each block's part of the backward pass through gradient hooks:
/// a block's backward starts when its output's gradient is complete (the hook on its output) and ends
/// when its inputs' gradients are (hooks on aliases of its inputs). The autograd engine runs a block's
/// nodes together, in reverse order of creation, so the span holds that block's work only.
class TimingWatcher : public StepWatcher {
public:
    explicit TimingWatcher(torch::Device device)
        : device_(device)
    {
    }

    void beforeStep(size_t stepIndex, const std::string& blockId, std::vector<torch::Tensor>& inputs) override
    {
        Spans& spans = spans_[stepIndex];
        spans.id = blockId;
        for (torch::Tensor& input : inputs)
            if (input.defined() && input.requires_grad()) {
                input = input.view_as(input);
                input.register_hook([this, stepIndex](const torch::Tensor&) {
                    Spans& entry = spans_[stepIndex];
                    entry.backwardEnd = std::max(entry.backwardEnd, now());
                    entry.hasEnd = true;
                });
            }
        synchronize(device_);
        spans.forwardStart = Clock::now();
    }

    void afterStep(size_t stepIndex, const std::string&, const std::vector<torch::Tensor>&,
        const std::vector<torch::Tensor>& outputs) override
    {
        synchronize(device_);
        Spans& spans = spans_[stepIndex];
        spans.forwardMs += millisecondsBetween(spans.forwardStart, Clock::now());
        for (const torch::Tensor& output : outputs)
            if (output.defined() && output.requires_grad()) {
                torch::Tensor alias = output; // register_hook is not const
                alias.register_hook([this, stepIndex](const torch::Tensor&) {
                    Spans& entry = spans_[stepIndex];
                    entry.backwardStart = std::min(entry.backwardStart, now());
                    entry.hasStart = true;
                });
            }
    }

    /// Before a backward pass.
    void startBackward()
    {
        for (auto& [index, spans] : spans_) {
            spans.backwardStart = Clock::time_point::max();
            spans.backwardEnd = Clock::time_point::min();
            spans.hasStart = spans.hasEnd = false;
        }
    }

    /// After it returned, at `end`: adds each block's span. A block with no input gradient to wait for
    /// (the first layer on token ids) ends with the pass.
    void finishBackward(Clock::time_point end)
    {
        for (auto& [index, spans] : spans_) {
            if (!spans.hasStart)
                continue;
            const Clock::time_point stop = spans.hasEnd ? spans.backwardEnd : end;
            spans.backwardMs += std::max(0.0, millisecondsBetween(spans.backwardStart, stop));
        }
    }

    void reset() { spans_.clear(); }

    std::vector<BlockTiming> timings(int64_t batches) const
    {
        std::vector<BlockTiming> result;
        for (const auto& [index, spans] : spans_)
            result.push_back({ spans.id, spans.forwardMs / batches, spans.backwardMs / batches });
        return result;
    }

private:
    struct Spans {
        std::string id;
        Clock::time_point forwardStart;
        double forwardMs = 0.0;
        Clock::time_point backwardStart = Clock::time_point::max();
        Clock::time_point backwardEnd = Clock::time_point::min();
        bool hasStart = false;
        bool hasEnd = false;
        double backwardMs = 0.0;
    };

    /// Hooks run on the autograd engine's thread (a device thread for CUDA): wait for the device there too.
    Clock::time_point now() const
    {
        synchronize(device_);
        return Clock::now();
    }

    torch::Device device_;
    std::map<size_t, Spans> spans_; ///< by step index: execution order
};

torch::Tensor randomBatch(const CompiledNetwork& network, int64_t batchSize, const torch::Device& device)
{
    std::vector<int64_t> sizes { batchSize };
    const std::vector<int64_t>& sample = network.signature().inputShape;
    sizes.insert(sizes.end(), sample.begin(), sample.end());
    if (network.signature().inputDtype == "int64")
        return torch::zeros(sizes, torch::TensorOptions().dtype(torch::kLong).device(device));
    // Gradients reach the input, so that the first block's backward ends at a hook like the others'.
    return torch::randn(sizes, torch::TensorOptions().device(device)).requires_grad_(true);
}

} // namespace

void ProfileOptions::check() const
{
    ND_CHECK(batchSize >= 1, "profile: the batch size must be >= 1, got ", batchSize);
    ND_CHECK(batches >= 1, "profile: measure at least 1 batch, got ", batches);
    ND_CHECK(warmupBatches >= 0, "profile: warm-up batches must be >= 0, got ", warmupBatches);
}

double NetworkProfile::blocksForwardMs() const
{
    double total = 0.0;
    for (const BlockTiming& block : blocks)
        total += block.forwardMs;
    return total;
}

double NetworkProfile::blocksBackwardMs() const
{
    double total = 0.0;
    for (const BlockTiming& block : blocks)
        total += block.backwardMs;
    return total;
}

const BlockTiming* NetworkProfile::find(const std::string& id) const
{
    for (const BlockTiming& block : blocks)
        if (block.id == id)
            return &block;
    return nullptr;
}

NetworkProfile profileNetwork(const CompiledNetwork& network, const ProfileOptions& options)
{
    options.check();
    const std::vector<torch::Device> devices = selectDevices(options.device);
    ND_CHECK(devices.size() == 1, "profile: device '", options.device, "' names ", devices.size(),
        " devices; profile on one");
    const torch::Device device = devices.front();
    torch::manual_seed(options.seed);
    GraphModel model = buildModel(network, options.seed);
    model->to(device);
    model->train();

    NetworkProfile profile;
    profile.batchSize = options.batchSize;
    profile.batches = options.batches;
    profile.device = device.str();
    auto pass = [&](TimingWatcher* watcher, double* forwardMs, double* backwardMs) {
        const torch::Tensor input = randomBatch(network, options.batchSize, device);
        synchronize(device);
        const Clock::time_point start = Clock::now();
        const torch::Tensor output = model->forward(input);
        synchronize(device);
        const Clock::time_point forwardEnd = Clock::now();
        ND_CHECK(output.is_floating_point(), "profile: the network's output is not floating point");
        const torch::Tensor gradient = torch::randn_like(output);
        model->zero_grad();
        if (watcher)
            watcher->startBackward();
        synchronize(device);
        const Clock::time_point backwardStart = Clock::now();
        output.backward(gradient);
        synchronize(device);
        const Clock::time_point end = Clock::now();
        if (watcher)
            watcher->finishBackward(end);
        if (forwardMs)
            *forwardMs += millisecondsBetween(start, forwardEnd);
        if (backwardMs)
            *backwardMs += millisecondsBetween(backwardStart, end);
    };
    for (int64_t i = 0; i < options.warmupBatches; ++i)
        pass(nullptr, nullptr, nullptr);
    // Whole passes and watched passes take turns, so that both see the same load on a busy machine.
    TimingWatcher watcher(device);
    for (int64_t i = 0; i < options.batches; ++i) {
        pass(nullptr, &profile.forwardMs, &profile.backwardMs);
        model->setStepWatcher(&watcher);
        try {
            pass(&watcher, nullptr, nullptr);
        } catch (...) {
            model->setStepWatcher(nullptr);
            throw;
        }
        model->setStepWatcher(nullptr);
    }
    profile.forwardMs /= options.batches;
    profile.backwardMs /= options.batches;
    profile.blocks = watcher.timings(options.batches);
    return profile;
}

} // namespace netdraft::engine
