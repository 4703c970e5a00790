#include "engine/inference/ShapeInference.h"

#include "engine/inference/FlatInference.h"

#include "engine/core/Error.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/layers/ParamCheck.h"

#include <algorithm>
#include <functional>
#include <queue>
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

bool InferenceResult::hasShapeErrors() const
{
    for (const Problem& p : graphProblems)
        if (p.isError())
            return true;
    for (const auto& [id, block] : blocks)
        if (block.errors.size() > block.runErrors.size())
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
    return outputShape(connection.from);
}

std::optional<Shape> InferenceResult::outputShape(const PortRef& output) const
{
    const BlockInference* source = find(output.block);
    if (!source)
        return std::nullopt;
    if (!source->portOutputs.empty()) {
        auto port = source->portOutputs.find(output.port);
        return port == source->portOutputs.end() ? std::nullopt : std::optional<Shape>(port->second);
    }
    return source->output;
}

std::string InferenceResult::blockLabel(const std::string& id) const
{
    auto named = names.find(id);
    return named == names.end() || named->second == id ? id : named->second + " (" + id + ")";
}

std::vector<Problem> InferenceResult::problems() const
{
    std::vector<Problem> result;
    for (const std::string& id : documentOrder) {
        const BlockInference* block = find(id);
        if (!block)
            continue;
        const std::string where = "block " + blockLabel(id);
        for (const std::string& message : block->errors)
            result.push_back({where, message, id, Problem::Severity::Error});
        for (const std::string& message : block->warnings)
            result.push_back({where, message, id, Problem::Severity::Warning});
    }
    result.insert(result.end(), graphProblems.begin(), graphProblems.end());
    return result;
}

namespace {

/// Lookups built once per inference. Graph's finders scan the whole document, which made inference
/// quadratic in the number of blocks (about 10 ms for 1,000 blocks; see bench/README.md).
struct GraphLookup {
    explicit GraphLookup(const Graph& graph)
    {
        for (size_t i = 0; i < graph.blocks().size(); ++i) {
            const Block& block = graph.blocks()[i];
            blocks.emplace(block.id, &block); // keeps the first, like Graph::findBlock
            index.emplace(block.id, i);
        }
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
    std::unordered_map<std::string, size_t> index; ///< document position of each id's first block
    std::map<PortRef, const Connection*> into;
    std::unordered_set<std::string> feedsOthers;
};

/// Kahn's algorithm over the connections between existing blocks; returns blocks in a stable
/// topological order (ties broken by document order) and the blocks left on cycles. Works on
/// document indices: string-keyed maps made this the slowest part of inference.
std::vector<std::string> topologicalOrder(const Graph& graph, const GraphLookup& lookup,
                                          std::vector<std::string>& onCycle)
{
    const std::vector<Block>& blocks = graph.blocks();
    std::vector<int> indegree(blocks.size(), 0);
    std::vector<std::vector<size_t>> successors(blocks.size());
    for (const Connection& c : graph.connections()) {
        const auto from = lookup.index.find(c.from.block);
        const auto to = lookup.index.find(c.to.block);
        if (from == lookup.index.end() || to == lookup.index.end())
            continue;
        successors[from->second].push_back(to->second);
        ++indegree[to->second];
    }
    // A duplicated id counts once, as its first block (like Graph::findBlock).
    auto isFirst = [&](size_t i) { return lookup.index.at(blocks[i].id) == i; };
    std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
    for (size_t i = 0; i < blocks.size(); ++i)
        if (isFirst(i) && indegree[i] == 0)
            ready.push(i);
    std::vector<std::string> order;
    order.reserve(blocks.size());
    while (!ready.empty()) {
        const size_t at = ready.top();
        ready.pop();
        order.push_back(blocks[at].id);
        for (size_t next : successors[at])
            if (--indegree[next] == 0)
                ready.push(next);
    }
    for (size_t i = 0; i < blocks.size(); ++i)
        if (indegree[lookup.index.at(blocks[i].id)] > 0)
            onCycle.push_back(blocks[i].id);
    return order;
}


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
            const auto outputs = type->description().outputPorts(result.blocks[from->id].params);
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
        result.blocks[inputs[i]].errors.push_back("only one Input block is supported; '"
                                                  + result.blockLabel(inputs[0]) + "' is already the input");
    for (size_t i = 1; i < outputs.size(); ++i)
        result.blocks[outputs[i]].errors.push_back("only one Output block is supported; '"
                                                   + result.blockLabel(outputs[0]) + "' is already the output");
    if (inputs.size() == 1)
        result.inputBlock = inputs[0];
    if (outputs.size() == 1)
        result.outputBlock = outputs[0];
}

void inferBlock(const GraphLookup& graph, const Block& block, const LayerType& type, BlockInference& info,
                const InferenceResult& result)
{
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
        const std::optional<Shape> shape = result.shapeOf(*connection);
        if (!shape) {
            inputsKnown = false; // the source's own errors say why; do not repeat them here
            continue;
        }
        inputs.push_back(*shape);
    }
    if (!inputsKnown || !info.errors.empty())
        return;
    info.inputs = inputs;
    InferenceContext context(description, info.params, std::move(inputs));
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
    if (info.errors.empty() && description.variadicOutputs()) {
        const std::vector<std::string> ports = description.outputPorts(info.params);
        if (context.outputs().size() != ports.size()) {
            info.errors.push_back(description.type + " gave " + std::to_string(context.outputs().size())
                + " output shapes for " + std::to_string(ports.size()) + " output ports");
            info.output.reset();
        } else {
            for (size_t i = 0; i < ports.size(); ++i)
                info.portOutputs.emplace(ports[i], context.outputs()[i]);
        }
    }
    // Errors that leave the shape known come last, after the shape's own checks.
    info.runErrors = context.runErrors();
    info.errors.insert(info.errors.end(), info.runErrors.begin(), info.runErrors.end());
}

} // namespace

InferenceResult inferFlatShapes(const Graph& graph)
{
    InferenceResult result;
    const std::vector<Block>& blocks = graph.blocks();
    // Per document position: the block's inference record and its layer type (null when unknown).
    std::vector<BlockInference*> infos(blocks.size());
    std::vector<const LayerType*> types(blocks.size(), nullptr);
    result.documentOrder.reserve(blocks.size());
    for (size_t i = 0; i < blocks.size(); ++i) {
        const Block& block = blocks[i];
        result.documentOrder.push_back(block.id);
        if (!block.name.empty())
            result.names.emplace(block.id, block.name);
        BlockInference& info = result.blocks[block.id];
        infos[i] = &info;
        types[i] = LayerRegistry::instance().find(block.type);
        if (!types[i]) {
            info.errors.push_back("unknown layer type '" + block.type + "'");
            continue;
        }
        info.params = checkParams(block.params, types[i]->description(), info.errors);
    }
    const GraphLookup lookup(graph);
    checkConnections(graph, lookup, result);
    checkInputOutput(graph, result);

    std::vector<std::string> onCycle;
    result.order = topologicalOrder(graph, lookup, onCycle);
    if (!onCycle.empty()) {
        std::string members;
        for (const std::string& id : onCycle)
            members += (members.empty() ? "" : ", ") + result.blockLabel(id);
        for (const std::string& id : onCycle)
            result.blocks[id].errors.push_back("is part of a cycle (" + members
                                               + "); networks must flow one way from Input to Output");
    }

    for (const std::string& id : result.order) {
        const size_t at = lookup.index.at(id);
        if (types[at])
            inferBlock(lookup, blocks[at], *types[at], *infos[at], result);
    }

    for (size_t i = 0; i < blocks.size(); ++i) {
        if (types[i] && !types[i]->description().outputs.empty() && !lookup.feedsOthers.count(blocks[i].id))
            infos[i]->warnings.push_back("output is not used");
    }
    return result;
}

} // namespace netdraft::engine
