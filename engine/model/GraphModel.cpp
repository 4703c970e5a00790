#include "engine/model/GraphModel.h"

#include "engine/core/Error.h"

namespace netdraft::engine {

namespace {

uint64_t fnv1a(const std::string& text, uint64_t seed)
{
    uint64_t hash = 1469598103934665603ULL ^ seed;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    return hash;
}

/// Restores the global generator afterwards, so building a model does not disturb the caller's RNG stream.
class GeneratorStateGuard {
public:
    GeneratorStateGuard() : generator_(at::detail::getDefaultCPUGenerator()), state_(generator_.get_state()) {}
    ~GeneratorStateGuard() { generator_.set_state(state_); }

private:
    at::Generator generator_;
    torch::Tensor state_;
};

} // namespace

GraphModelImpl::GraphModelImpl(const CompiledNetwork& network, uint64_t seed)
{
    GeneratorStateGuard keepCallerRng;
    std::map<size_t, size_t> lastReader; // slot -> index of the last step that reads it
    std::vector<size_t> firstSlots; // per network step
    for (const NetworkStep& networkStep : network.steps()) {
        const std::string& id = networkStep.id();
        Step step;
        step.blockId = id;
        step.firstSlot = slotCount_;
        firstSlots.push_back(slotCount_);
        slotCount_ += networkStep.outputCount();
        for (size_t i = 0; i < networkStep.inputSteps.size(); ++i) {
            const size_t slot = firstSlots.at(networkStep.inputSteps[i]) + networkStep.inputOutputs.at(i);
            step.inputSlots.push_back(slot);
            lastReader[slot] = steps_.size();
        }
        torch::manual_seed(fnv1a(id, seed));
        BuiltBlock built = networkStep.type->build(networkStep.buildContext());
        ND_CHECK(built.forward || built.forwardOutputs, "block ", id, ": ", networkStep.block->type,
            " built no forward function");
        ND_CHECK(bool(built.forwardOutputs) == networkStep.type->description().variadicOutputs(), "block ", id, ": ",
            networkStep.block->type, " must build forwardOutputs exactly when it has several outputs");
        int64_t count = 0;
        if (built.module) {
            register_module(id, built.module);
            blockModules_[id] = built.module;
            for (const auto& parameter : built.module->parameters())
                count += parameter.numel();
        }
        parameterCounts_[id] = count;
        step.forward = std::move(built.forward);
        step.forwardOutputs = std::move(built.forwardOutputs);
        order_.push_back(id);
        steps_.push_back(std::move(step));
    }
    inputStep_ = network.inputStepIndex();
    outputSlot_ = steps_.at(network.outputStepIndex()).firstSlot;
    for (const auto& [slot, reader] : lastReader)
        if (slot != outputSlot_)
            steps_[reader].releaseAfter.push_back(slot);
    // An instance counts the parameters of everything inside it.
    for (const auto& [id, origin] : network.origins())
        if (auto count = parameterCounts_.find(id); count != parameterCounts_.end())
            parameterCounts_[origin.instance] += count->second;
}

torch::Tensor GraphModelImpl::forward(torch::Tensor input)
{
    std::vector<torch::Tensor> values(slotCount_);
    std::vector<torch::Tensor> arguments;
    for (size_t i = 0; i < steps_.size(); ++i) {
        Step& step = steps_[i];
        arguments.clear();
        if (i == inputStep_) {
            arguments.push_back(input);
        } else {
            for (size_t slot : step.inputSlots)
                arguments.push_back(values[slot]);
        }
        if (watcher_)
            watcher_->beforeStep(i, step.blockId, arguments);
        std::vector<torch::Tensor> outputs = step.forwardOutputs
            ? step.forwardOutputs(arguments)
            : std::vector<torch::Tensor> { step.forward(arguments) };
        if (watcher_)
            watcher_->afterStep(i, step.blockId, arguments, outputs);
        for (size_t k = 0; k < outputs.size(); ++k)
            values[step.firstSlot + k] = std::move(outputs[k]);
        // Drop intermediate results as soon as no later block reads them (autograd keeps what it needs).
        for (size_t slot : step.releaseAfter)
            values[slot] = torch::Tensor();
    }
    return values[outputSlot_];
}

int64_t GraphModelImpl::totalParameters() const
{
    int64_t total = 0;
    for (const std::string& id : order_) // the executed blocks: instances' sums would count twice
        total += parameterCounts_.at(id);
    return total;
}

std::shared_ptr<torch::nn::Module> GraphModelImpl::blockModule(const std::string& blockId) const
{
    auto it = blockModules_.find(blockId);
    return it == blockModules_.end() ? nullptr : it->second;
}

GraphModel buildModel(const Graph& graph, uint64_t seed)
{
    return GraphModel(CompiledNetwork::compile(graph), seed);
}

GraphModel buildModel(const CompiledNetwork& network, uint64_t seed)
{
    return GraphModel(network, seed);
}

} // namespace netdraft::engine
