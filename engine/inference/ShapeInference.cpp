#include "engine/inference/ShapeInference.h"

#include "engine/core/Error.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/ParamCheck.h"

#include <algorithm>
#include <deque>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace netdraft::engine {

bool InferenceResult::hasErrors() const
{
    for (const Problem& p : graphProblems)
        if (p.isError())
            return true;
    for (const auto& [id, block] : blocks)
        if (!block.errors.empty())
            return true;
    return false;
}

const BlockInference* InferenceResult::find(const std::string& blockId) const
{
    auto it = blocks.find(blockId);
    return it == blocks.end() ? nullptr : &it->second;
}

std::optional<Shape> InferenceResult::shapeOf(const Connection& connection) const
{
    const BlockInference* source = find(connection.from.block);
    return source ? source->output : std::nullopt;
}

std::vector<Problem> InferenceResult::problems() const
{
    std::vector<Problem> result;
    for (const std::string& id : documentOrder) {
        const BlockInference* block = find(id);
        if (!block)
            continue;
        for (const std::string& message : block->errors)
            result.push_back({"block " + id, message, id, Problem::Severity::Error});
        for (const std::string& message : block->warnings)
            result.push_back({"block " + id, message, id, Problem::Severity::Warning});
    }
    result.insert(result.end(), graphProblems.begin(), graphProblems.end());
    return result;
}

namespace {

/// Kahn's algorithm over the connections between existing blocks; returns blocks in a stable
/// topological order (ties broken by document order) and the blocks left on cycles.
std::vector<std::string> topologicalOrder(const Graph& graph, std::vector<std::string>& onCycle)
{
    std::map<std::string, int> indegree;
    std::map<std::string, std::vector<std::string>> successors;
    std::map<std::string, size_t> position;
    for (size_t i = 0; i < graph.blocks().size(); ++i) {
        indegree[graph.blocks()[i].id] = 0;
        position[graph.blocks()[i].id] = i;
    }
    for (const Connection& c : graph.connections()) {
        if (!indegree.count(c.from.block) || !indegree.count(c.to.block))
            continue;
        successors[c.from.block].push_back(c.to.block);
        ++indegree[c.to.block];
    }
    auto byPosition = [&](const std::string& a, const std::string& b) { return position[a] > position[b]; };
    std::vector<std::string> ready;
    for (const Block& b : graph.blocks())
        if (indegree[b.id] == 0)
            ready.push_back(b.id);
    std::make_heap(ready.begin(), ready.end(), byPosition);
    std::vector<std::string> order;
    while (!ready.empty()) {
        std::pop_heap(ready.begin(), ready.end(), byPosition);
        std::string id = ready.back();
        ready.pop_back();
        order.push_back(id);
        for (const std::string& next : successors[id]) {
            if (--indegree[next] == 0) {
                ready.push_back(next);
                std::push_heap(ready.begin(), ready.end(), byPosition);
            }
        }
    }
    for (const Block& b : graph.blocks())
        if (indegree[b.id] > 0)
            onCycle.push_back(b.id);
    return order;
}

/// Lookups built once per inference. Graph's finders scan the whole document, which made inference
/// quadratic in the number of blocks (about 10 ms for 1,000 blocks; see bench/README.md).
struct GraphLookup {
    explicit GraphLookup(const Graph& graph)
    {
        for (const Block& block : graph.blocks())
            blocks.emplace(block.id, &block); // keeps the first, like Graph::findBlock
        for (const Connection& connection : graph.connections()) {
            into.emplace(connection.to, &connection); // keeps the first, like Graph::connectionInto
            feedsOthers.insert(connection.from.block);
        }
    }
    const Block* findBlock(const std::string& id) const
    {
        auto it = blocks.find(id);
        return it == blocks.end() ? nullptr : it->second;
    }
    const Connection* connectionInto(const PortRef& input) const
    {
        auto it = into.find(input);
        return it == into.end() ? nullptr : it->second;
    }

    std::unordered_map<std::string, const Block*> blocks;
    std::map<PortRef, const Connection*> into;
    std::unordered_set<std::string> feedsOthers;
};

void checkConnections(const Graph& graph, const GraphLookup& lookup, InferenceResult& result)
{
    for (const Connection& c : graph.connections()) {
        const Block* from = lookup.findBlock(c.from.block);
        const Block* to = lookup.findBlock(c.to.block);
        if (!from || !to) {
            result.graphProblems.push_back({"connection " + describeConnection(c),
                                            "refers to a missing block '" + (from ? c.to.block : c.from.block) + "'",
                                            {}, Problem::Severity::Error});
            continue;
        }
        if (const LayerType* type = LayerRegistry::instance().find(from->type)) {
            const auto& outputs = type->description().outputs;
            if (std::find(outputs.begin(), outputs.end(), c.from.port) == outputs.end())
                result.blocks[from->id].errors.push_back("has no output port '" + c.from.port + "' (connection "
                                                         + describeConnection(c) + ")");
        }
        if (const LayerType* type = LayerRegistry::instance().find(to->type)) {
            auto ports = type->description().inputPorts(result.blocks[to->id].params);
            if (std::find(ports.begin(), ports.end(), c.to.port) == ports.end())
                result.blocks[to->id].errors.push_back("has no input port '" + c.to.port + "' (connection "
                                                       + describeConnection(c) + ")");
        }
    }
}

void checkInputOutput(const Graph& graph, InferenceResult& result)
{
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;
    for (const Block& b : graph.blocks()) {
        if (b.type == "Input")
            inputs.push_back(b.id);
        if (b.type == "Output")
            outputs.push_back(b.id);
    }
    if (inputs.empty())
        result.graphProblems.push_back({"graph", "has no Input block: add one and set its shape", {},
                                        Problem::Severity::Error});
    if (outputs.empty())
        result.graphProblems.push_back({"graph", "has no Output block: connect the last layer to an Output", {},
                                        Problem::Severity::Error});
    for (size_t i = 1; i < inputs.size(); ++i)
        result.blocks[inputs[i]].errors.push_back("only one Input block is supported; '" + inputs[0]
                                                  + "' is already the input");
    for (size_t i = 1; i < outputs.size(); ++i)
        result.blocks[outputs[i]].errors.push_back("only one Output block is supported; '" + outputs[0]
                                                   + "' is already the output");
    if (inputs.size() == 1)
        result.inputBlock = inputs[0];
    if (outputs.size() == 1)
        result.outputBlock = outputs[0];
}

void inferBlock(const GraphLookup& graph, const Block& block, const LayerType& type, InferenceResult& result)
{
    BlockInference& info = result.blocks[block.id];
    const LayerDescription& description = type.description();
    std::vector<Shape> inputs;
    bool inputsKnown = true;
    for (const std::string& port : description.inputPorts(info.params)) {
        const Connection* connection = graph.connectionInto({block.id, port});
        if (!connection) {
            info.errors.push_back("input '" + port + "' is not connected");
            inputsKnown = false;
            continue;
        }
        const BlockInference* source = result.find(connection->from.block);
        if (!source || !source->output) {
            inputsKnown = false; // the source's own errors say why; do not repeat them here
            continue;
        }
        inputs.push_back(*source->output);
    }
    if (!inputsKnown || !info.errors.empty())
        return;
    info.inputs = inputs;
    InferenceContext context(block, description, info.params, std::move(inputs));
    try {
        type.inferShape(context);
    } catch (const Error& error) {
        context.error(error.what());
    }
    for (const auto& [name, value] : context.inferred())
        info.params[name] = value;
    info.inferred = context.inferred();
    info.errors.insert(info.errors.end(), context.errors().begin(), context.errors().end());
    if (info.errors.empty())
        info.output = context.output();
    if (info.errors.empty() && !info.output)
        info.errors.push_back(description.type + " gave no output shape");
}

} // namespace

InferenceResult inferShapes(const Graph& graph)
{
    InferenceResult result;
    std::map<std::string, const LayerType*> types;
    for (const Block& block : graph.blocks()) {
        result.documentOrder.push_back(block.id);
        BlockInference& info = result.blocks[block.id];
        const LayerType* type = LayerRegistry::instance().find(block.type);
        if (!type) {
            info.errors.push_back("unknown layer type '" + block.type + "'");
            continue;
        }
        types[block.id] = type;
        info.params = checkParams(block.params, type->description(), info.errors);
    }
    const GraphLookup lookup(graph);
    checkConnections(graph, lookup, result);
    checkInputOutput(graph, result);

    std::vector<std::string> onCycle;
    result.order = topologicalOrder(graph, onCycle);
    if (!onCycle.empty()) {
        std::string members;
        for (const std::string& id : onCycle)
            members += (members.empty() ? "" : ", ") + id;
        for (const std::string& id : onCycle)
            result.blocks[id].errors.push_back("is part of a cycle (" + members
                                               + "); networks must flow one way from Input to Output");
    }

    for (const std::string& id : result.order) {
        auto type = types.find(id);
        if (type != types.end())
            inferBlock(lookup, *lookup.findBlock(id), *type->second, result);
    }

    for (const Block& block : graph.blocks()) {
        auto type = types.find(block.id);
        if (type != types.end() && !type->second->description().outputs.empty()
            && !lookup.feedsOthers.count(block.id))
            result.blocks[block.id].warnings.push_back("output is not used");
    }
    return result;
}

} // namespace netdraft::engine
