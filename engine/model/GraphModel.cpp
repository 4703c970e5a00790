#include "engine/model/GraphModel.h"

#include "engine/core/Error.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/layers/LayerRegistry.h"

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

GraphModelImpl::GraphModelImpl(const Graph& graph, const InferenceResult& inference, uint64_t seed)
{
    if (inference.hasErrors()) {
        std::string text;
        for (const Problem& p : inference.problems())
            if (p.isError())
                text += "\n  " + p.toString();
        ND_CHECK(false, "the graph has errors:", text);
    }
    ND_CHECK(!inference.inputBlock.empty() && !inference.outputBlock.empty(), "the graph needs one Input and one Output");

    // Composite instances run as their expanded inner blocks, which `inference` is about.
    const bool hasInstances = graph.hasCompositeInstances();
    const ExpandedGraph expanded = hasInstances ? expandComposites(graph) : ExpandedGraph{};
    const Graph& flat = hasInstances ? expanded.graph : graph;
    GeneratorStateGuard keepCallerRng;
    std::map<std::string, size_t> slotOf;
    std::map<size_t, size_t> lastReader; // slot -> index of the last step that reads it
    for (const std::string& id : inference.order) {
        const Block& block = flat.block(id);
        const BlockInference& info = inference.blocks.at(id);
        const LayerType* type = LayerRegistry::instance().find(block.type);
        ND_CHECK(type, "block ", id, ": unknown layer type '", block.type, "'");

        Step step;
        step.blockId = id;
        for (const std::string& port : type->description().inputPorts(info.params)) {
            auto connection = flat.connectionInto({id, port});
            ND_CHECK(connection, "block ", id, ": input '", port, "' is not connected");
            size_t slot = slotOf.at(connection->from.block);
            step.inputSlots.push_back(slot);
            lastReader[slot] = steps_.size();
        }
        torch::manual_seed(fnv1a(id, seed));
        BuildContext context{block, ParamReader(type->description(), info.params), info.inputs, *info.output};
        BuiltBlock built = type->build(context);
        ND_CHECK(built.forward, "block ", id, ": ", block.type, " built no forward function");
        int64_t count = 0;
        if (built.module) {
            register_module(id, built.module);
            blockModules_[id] = built.module;
            for (const auto& parameter : built.module->parameters())
                count += parameter.numel();
        }
        parameterCounts_[id] = count;
        step.forward = std::move(built.forward);
        slotOf[id] = steps_.size();
        if (id == inference.inputBlock)
            inputSlot_ = steps_.size();
        if (id == inference.outputBlock)
            outputSlot_ = steps_.size();
        order_.push_back(id);
        steps_.push_back(std::move(step));
    }
    for (const auto& [slot, reader] : lastReader)
        if (slot != outputSlot_)
            steps_[reader].releaseAfter.push_back(slot);
    // An instance counts the parameters of everything inside it.
    for (const auto& [id, origin] : expanded.origins)
        if (auto count = parameterCounts_.find(id); count != parameterCounts_.end())
            parameterCounts_[origin.instance] += count->second;
}

torch::Tensor GraphModelImpl::forward(torch::Tensor input)
{
    std::vector<torch::Tensor> values(steps_.size());
    std::vector<torch::Tensor> arguments;
    for (size_t i = 0; i < steps_.size(); ++i) {
        Step& step = steps_[i];
        arguments.clear();
        if (i == inputSlot_) {
            arguments.push_back(input);
        } else {
            for (size_t slot : step.inputSlots)
                arguments.push_back(values[slot]);
        }
        values[i] = step.forward(arguments);
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
    return GraphModel(graph, inferShapes(graph), seed);
}

} // namespace netdraft::engine
