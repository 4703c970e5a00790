#include "engine/graph/CompositeExpansion.h"

#include "engine/core/Error.h"
#include "engine/graph/CompositeParameters.h"

namespace netdraft::engine {

namespace {

/// Definitions nested deeper than this are taken for a composite that contains itself.
constexpr int kMaxNesting = 16;

class Expander {
public:
    Expander(const Graph& root, ExpandedGraph& result)
        : root_(root)
        , result_(result)
    {
    }

    /// Expands the blocks and connections of `blocks`/`connections` under `prefix`; `frozen`: inside a
    /// frozen instance, so every block is frozen; `learningRateScale`: the product of the enclosing
    /// instances' scales, which multiplies every block's own.
    void expandBody(const std::vector<Block>& blocks, const std::vector<Connection>& connections,
        const std::string& prefix, const std::string& pathPrefix, int depth, bool frozen = false,
        double learningRateScale = 1.0)
    {
        for (const Block& block : blocks) {
            const std::string id = prefix + block.id;
            const std::string path = pathPrefix.empty() ? block.id : pathPrefix + "/" + block.id;
            if (const CompositeDefinition* definition = root_.findComposite(block.type)) {
                if (depth >= kMaxNesting) {
                    problem("composite " + block.type + " contains itself (through " + path + ")");
                    continue;
                }
                if (const std::optional<std::string> product = productProblem(*definition, &block))
                    problem(*product);
                // The instance's parameter values go into the inner blocks they are bound to.
                expandBody(parameterisedBlocks(*definition, &block), definition->connections,
                    id + kCompositeIdSeparator, depth == 0 ? std::string() : path, depth + 1, frozen || block.frozen,
                    learningRateScale * block.learningRateScale);
                continue;
            }
            Block flat = block;
            flat.id = id;
            flat.frozen = block.frozen || frozen;
            flat.learningRateScale = block.learningRateScale * learningRateScale;
            try {
                result_.graph.addBlock(std::move(flat));
            } catch (const Error& error) {
                problem(error.what());
                continue;
            }
            if (depth > 0)
                result_.origins[id] = {instance_, path};
        }
        for (const Connection& connection : connections)
            connect(blocks, connection, prefix, depth);
    }

    /// Adds the expanded connections that `connection` (between blocks of `blocks`) stands for.
    void connect(const std::vector<Block>& blocks, const Connection& connection, const std::string& prefix, int depth)
    {
        const auto sources = resolveOutput(blocks, connection.from, prefix, depth);
        if (sources.empty())
            return;
        for (const PortRef& target : resolveInputs(blocks, connection.to, prefix, depth)) {
            try {
                result_.graph.connect({sources.front(), target});
            } catch (const Error& error) {
                problem(error.what());
            }
        }
    }

    void setInstance(const std::string& id) { instance_ = id; }

    /// The expanded output port that `end` (an output of a block in `blocks`) stands for.
    std::vector<PortRef> resolveOutput(const std::vector<Block>& blocks, const PortRef& end, const std::string& prefix,
                                       int depth)
    {
        const Block* block = find(blocks, end.block);
        const CompositeDefinition* definition = block ? root_.findComposite(block->type) : nullptr;
        if (!definition)
            return {{prefix + end.block, end.port}};
        if (depth >= kMaxNesting)
            return {};
        const CompositeOutput* output = definition->findOutput(end.port);
        if (!output) {
            problem("block " + end.block + " (" + definition->name + ") has no output port '" + end.port + "'");
            return {};
        }
        return resolveOutput(definition->blocks, output->source, prefix + end.block + kCompositeIdSeparator,
                             depth + 1);
    }

    /// The expanded input ports that `end` (an input of a block in `blocks`) feeds.
    std::vector<PortRef> resolveInputs(const std::vector<Block>& blocks, const PortRef& end, const std::string& prefix,
                                       int depth)
    {
        const Block* block = find(blocks, end.block);
        const CompositeDefinition* definition = block ? root_.findComposite(block->type) : nullptr;
        if (!definition)
            return {{prefix + end.block, end.port}};
        if (depth >= kMaxNesting)
            return {};
        const CompositeInput* input = definition->findInput(end.port);
        if (!input) {
            problem("block " + end.block + " (" + definition->name + ") has no input port '" + end.port + "'");
            return {};
        }
        std::vector<PortRef> targets;
        for (const PortRef& target : input->targets)
            for (PortRef& resolved :
                 resolveInputs(definition->blocks, target, prefix + end.block + kCompositeIdSeparator, depth + 1))
                targets.push_back(std::move(resolved));
        return targets;
    }

private:
    static const Block* find(const std::vector<Block>& blocks, const std::string& id)
    {
        for (const Block& block : blocks)
            if (block.id == id)
                return &block;
        return nullptr;
    }

    void problem(const std::string& message)
    {
        const std::string where = instance_.empty() ? "graph" : "block " + instance_;
        for (const Problem& existing : result_.problems)
            if (existing.where == where && existing.message == message)
                return;
        result_.problems.push_back({where, message, instance_, Problem::Severity::Error});
    }

    const Graph& root_;
    ExpandedGraph& result_;
    std::string instance_;
};

} // namespace

ExpandedGraph expandComposites(const Graph& graph)
{
    ExpandedGraph result;
    Expander expander(graph, result);
    // Top-level blocks one by one, so that each inner block knows its instance.
    for (const Block& block : graph.blocks()) {
        const CompositeDefinition* definition = graph.findComposite(block.type);
        expander.setInstance(definition ? block.id : std::string());
        expander.expandBody({block}, {}, "", "", 0);
        if (!definition)
            continue;
        for (const CompositeOutput& output : definition->outputs) {
            const auto resolved = expander.resolveOutput(graph.blocks(), {block.id, output.name}, "", 0);
            if (!resolved.empty())
                result.instanceOutputs[block.id][output.name] = resolved.front();
        }
        for (const CompositeInput& input : definition->inputs)
            result.instanceInputs[block.id][input.name]
                = expander.resolveInputs(graph.blocks(), {block.id, input.name}, "", 0);
    }
    for (const Connection& connection : graph.connections()) {
        const Block* from = graph.findBlock(connection.from.block);
        const Block* to = graph.findBlock(connection.to.block);
        expander.setInstance(from && graph.findComposite(from->type)   ? from->id
                                 : to && graph.findComposite(to->type) ? to->id
                                                                       : std::string());
        expander.connect(graph.blocks(), connection, "", 0);
    }
    return result;
}

const Graph& flatGraph(const Graph& graph, Graph& storage)
{
    if (!graph.hasCompositeInstances())
        return graph;
    storage = expandComposites(graph).graph;
    return storage;
}

} // namespace netdraft::engine
