#include "engine/graph/CompositeEditing.h"

#include "engine/core/Error.h"
#include "engine/graph/CompositeGrouping.h"
#include "engine/graph/CompositeParameters.h"
#include "engine/layers/LayerRegistry.h"

#include <algorithm>
#include <functional>
#include <set>

namespace netdraft::engine {

namespace {

/// A graph made of these parts, definitions first (blocks may be their instances).
Graph assemble(const std::vector<Block>& blocks, const std::vector<Connection>& connections,
               const std::vector<CompositeDefinition>& composites)
{
    Graph result;
    for (const CompositeDefinition& definition : composites)
        result.addComposite(definition);
    for (const Block& block : blocks)
        result.addBlock(block);
    for (const Connection& connection : connections)
        result.connect(connection);
    return result;
}

const Block* findIn(const std::vector<Block>& blocks, const std::string& id)
{
    auto it = std::find_if(blocks.begin(), blocks.end(), [&](const Block& block) { return block.id == id; });
    return it == blocks.end() ? nullptr : &*it;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string text;
    for (const std::string& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

/// Ports a definition lost.
struct DroppedPorts {
    std::vector<std::string> inputs;
    std::vector<std::string> outputs;
    bool empty() const { return inputs.empty() && outputs.empty(); }
};

bool contains(const std::vector<std::string>& names, const std::string& name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

/// Removes the input targets for which `goneTarget` holds and the outputs for which `goneSource` holds;
/// an input left without targets is removed. Inputs that only lost some targets go to `narrowed`.
DroppedPorts dropPorts(CompositeDefinition& definition, const std::function<bool(const PortRef&)>& goneTarget,
                       const std::function<bool(const PortRef&)>& goneSource, std::vector<std::string>* narrowed)
{
    DroppedPorts dropped;
    std::vector<CompositeInput> inputs;
    for (CompositeInput input : definition.inputs) {
        const size_t before = input.targets.size();
        input.targets.erase(std::remove_if(input.targets.begin(), input.targets.end(), goneTarget), input.targets.end());
        if (input.targets.empty())
            dropped.inputs.push_back(input.name);
        else if (input.targets.size() != before && narrowed)
            narrowed->push_back(input.name);
        if (!input.targets.empty())
            inputs.push_back(std::move(input));
    }
    definition.inputs = std::move(inputs);
    std::vector<CompositeOutput> outputs;
    for (CompositeOutput& output : definition.outputs) {
        if (goneSource(output.source))
            dropped.outputs.push_back(output.name);
        else
            outputs.push_back(std::move(output));
    }
    definition.outputs = std::move(outputs);
    return dropped;
}

/// `connections` without those on a dropped port of an instance of `owner` (instances among `blocks`).
std::vector<Connection> withoutDroppedPorts(const std::vector<Block>& blocks, const std::vector<Connection>& connections,
                                            const std::string& owner, const DroppedPorts& dropped,
                                            const std::string& where, std::vector<std::string>& disconnected)
{
    auto isInstance = [&](const std::string& id) {
        const Block* block = findIn(blocks, id);
        return block && block->type == owner;
    };
    std::vector<Connection> kept;
    for (const Connection& connection : connections) {
        if (isInstance(connection.to.block) && contains(dropped.inputs, connection.to.port))
            disconnected.push_back(where + connection.to.block + "." + connection.to.port);
        else if (isInstance(connection.from.block) && contains(dropped.outputs, connection.from.port))
            disconnected.push_back(where + connection.from.block + "." + connection.from.port);
        else
            kept.push_back(connection);
    }
    return kept;
}

Graph repairedGraph(const Graph& graph, const std::string& name, const std::vector<std::string>& ids, PortRepair& repair)
{
    ND_CHECK(graph.findComposite(name), "no composite block named '", name, "'");
    const std::set<std::string> removed(ids.begin(), ids.end());
    std::vector<CompositeDefinition> composites = graph.composites();
    std::vector<Connection> connections = graph.connections();
    std::vector<std::pair<std::string, DroppedPorts>> pending;
    for (CompositeDefinition& definition : composites) {
        if (definition.name != name)
            continue;
        for (const std::string& id : removed)
            ND_CHECK(findIn(definition.blocks, id), "composite ", name, " has no inner block '", id, "'");
        Graph body = definition.body();
        for (const std::string& id : removed)
            body.removeBlock(id);
        definition.setBody(body);
        auto inRemoved = [&](const PortRef& end) { return removed.count(end.block) > 0; };
        const DroppedPorts dropped = dropPorts(definition, inRemoved, inRemoved, &repair.narrowedInputs);
        repair.removedInputs = dropped.inputs;
        repair.removedOutputs = dropped.outputs;
        pending.emplace_back(name, dropped);
    }
    // A dropped port disconnects the instances everywhere; a definition whose own port pointed at such an
    // instance port loses that port in turn (definitions never contain themselves, so this ends).
    while (!pending.empty()) {
        const std::string owner = pending.back().first;
        const DroppedPorts dropped = pending.back().second;
        pending.pop_back();
        if (dropped.empty())
            continue;
        connections = withoutDroppedPorts(graph.blocks(), connections, owner, dropped, "", repair.disconnected);
        for (CompositeDefinition& definition : composites) {
            if (definition.name == owner)
                continue;
            definition.connections = withoutDroppedPorts(definition.blocks, definition.connections, owner, dropped,
                                                         definition.name + "/", repair.disconnected);
            auto onDropped = [&](const PortRef& end, const std::vector<std::string>& ports) {
                const Block* block = findIn(definition.blocks, end.block);
                return block && block->type == owner && contains(ports, end.port);
            };
            const DroppedPorts inTurn = dropPorts(
                definition, [&](const PortRef& end) { return onDropped(end, dropped.inputs); },
                [&](const PortRef& end) { return onDropped(end, dropped.outputs); }, nullptr);
            for (const std::string& port : inTurn.inputs)
                repair.cascaded.push_back(definition.name + " lost its input port '" + port + "'");
            for (const std::string& port : inTurn.outputs)
                repair.cascaded.push_back(definition.name + " lost its output port '" + port + "'");
            if (!inTurn.empty())
                pending.emplace_back(definition.name, inTurn);
        }
    }
    return assemble(graph.blocks(), connections, composites);
}

} // namespace

std::string PortRepair::describe(const std::string& composite) const
{
    std::vector<std::string> changes;
    for (const std::string& port : removedInputs)
        changes.push_back("lost its input port '" + port + "'");
    for (const std::string& port : removedOutputs)
        changes.push_back("lost its output port '" + port + "'");
    for (const std::string& port : narrowedInputs)
        changes.push_back("input port '" + port + "' feeds fewer inner blocks");
    if (changes.empty())
        return {};
    std::string text = composite + " " + joined(changes);
    if (!cascaded.empty())
        text += "; in turn " + joined(cascaded);
    if (!disconnected.empty())
        text += " (disconnected: " + joined(disconnected) + ")";
    return text;
}

std::vector<std::string> compositeUses(const Graph& graph, const std::string& name)
{
    std::vector<std::string> uses;
    for (const Block& block : graph.blocks())
        if (block.type == name)
            uses.push_back(block.id);
    for (const CompositeDefinition& definition : graph.composites())
        for (const Block& block : definition.blocks)
            if (block.type == name)
                uses.push_back(definition.name + "/" + block.id);
    return uses;
}

PortRepair portRepairFor(const Graph& graph, const std::string& name, const std::vector<std::string>& ids)
{
    PortRepair repair;
    repairedGraph(graph, name, ids, repair);
    return repair;
}

Graph removeInnerBlocks(
    const Graph& graph, const std::string& name, const std::vector<std::string>& ids, PortRepair* repair)
{
    PortRepair unused;
    Graph result = repairedGraph(graph, name, ids, repair ? *repair : unused);
    dropStaleCompositeParameters(result); // parameters bound to removed blocks go, and instances' values for them
    return result;
}

Graph renameComposite(const Graph& graph, const std::string& from, const std::string& to)
{
    ND_CHECK(graph.findComposite(from), "no composite block named '", from, "'");
    if (from == to)
        return graph;
    graph.checkNewCompositeName(to);
    auto retyped = [&](std::vector<Block> blocks) {
        for (Block& block : blocks)
            if (block.type == from)
                block.type = to;
        return blocks;
    };
    std::vector<CompositeDefinition> composites = graph.composites();
    for (CompositeDefinition& definition : composites) {
        if (definition.name == from)
            definition.name = to;
        definition.blocks = retyped(definition.blocks);
    }
    return assemble(retyped(graph.blocks()), graph.connections(), composites);
}

Graph removeCompositeDefinition(const Graph& graph, const std::string& name)
{
    ND_CHECK(graph.findComposite(name), "no composite block named '", name, "'");
    const std::vector<std::string> uses = compositeUses(graph, name);
    ND_CHECK(uses.empty(), "composite ", name, " is still used by ", joined(uses),
             " (delete or ungroup those blocks first)");
    std::vector<CompositeDefinition> composites;
    for (const CompositeDefinition& definition : graph.composites())
        if (definition.name != name)
            composites.push_back(definition);
    return assemble(graph.blocks(), graph.connections(), composites);
}

Graph ungroupAndRemoveComposite(const Graph& graph, const std::string& name)
{
    ND_CHECK(graph.findComposite(name), "no composite block named '", name, "'");
    std::vector<std::string> nested;
    for (const std::string& use : compositeUses(graph, name))
        if (use.find('/') != std::string::npos)
            nested.push_back(use);
    ND_CHECK(nested.empty(), "composite ", name, " is used inside other composites: ", joined(nested),
             " (ungroup those first)");
    Graph result = graph;
    for (const std::string& id : compositeUses(graph, name))
        result = ungroupBlock(result, id);
    return removeCompositeDefinition(result, name);
}

Graph renameCompositePort(const Graph& graph, const std::string& name, bool input, const std::string& from,
                          const std::string& to)
{
    const CompositeDefinition* found = graph.findComposite(name);
    ND_CHECK(found, "no composite block named '", name, "'");
    const char* side = input ? "input" : "output";
    const std::vector<std::string> names = input ? found->inputNames() : found->outputNames();
    ND_CHECK(std::find(names.begin(), names.end(), from) != names.end(), "composite ", name, " has no ", side,
             " port '", from, "'");
    if (from == to)
        return graph;
    ND_CHECK(isValidBlockId(to), "port name '", to,
             "' must be an identifier: a letter or _, then letters, digits or _ (at most 64)");
    ND_CHECK(std::find(names.begin(), names.end(), to) == names.end(), "composite ", name, " already has an ", side,
             " port '", to, "'");
    // An end on the renamed port of an instance (one of `blocks`) follows the rename.
    auto follow = [&](const std::vector<Block>& blocks, PortRef& end) {
        const Block* block = findIn(blocks, end.block);
        if (block && block->type == name && end.port == from)
            end.port = to;
    };
    auto followed = [&](const std::vector<Block>& blocks, std::vector<Connection> connections) {
        for (Connection& connection : connections)
            follow(blocks, input ? connection.to : connection.from);
        return connections;
    };
    std::vector<CompositeDefinition> composites = graph.composites();
    for (CompositeDefinition& definition : composites) {
        definition.connections = followed(definition.blocks, definition.connections);
        // Ports of other definitions that expose the instance's port.
        if (input) {
            for (CompositeInput& port : definition.inputs)
                for (PortRef& target : port.targets)
                    follow(definition.blocks, target);
        } else {
            for (CompositeOutput& port : definition.outputs)
                follow(definition.blocks, port.source);
        }
        if (definition.name != name)
            continue;
        if (input) {
            for (CompositeInput& port : definition.inputs)
                if (port.name == from)
                    port.name = to;
        } else {
            for (CompositeOutput& port : definition.outputs)
                if (port.name == from)
                    port.name = to;
        }
    }
    return assemble(graph.blocks(), followed(graph.blocks(), graph.connections()), composites);
}

Graph mergeComposites(const Graph& graph, const std::vector<CompositeDefinition>& incoming,
                      std::map<std::string, std::string>& renamed,
                      const std::function<bool(const CompositeDefinition&, const CompositeDefinition&)>& same)
{
    Graph result = graph;
    std::map<std::string, const CompositeDefinition*> byName;
    for (const CompositeDefinition& definition : incoming)
        byName[definition.name] = &definition;
    std::set<std::string> done;
    // Definitions a definition uses go first, so that it is compared with their final names.
    std::function<void(const std::string&)> merge = [&](const std::string& name) {
        auto found = byName.find(name);
        if (found == byName.end() || !done.insert(name).second)
            return;
        CompositeDefinition definition = *found->second;
        for (const Block& block : definition.blocks)
            merge(block.type);
        for (Block& block : definition.blocks)
            if (auto it = renamed.find(block.type); it != renamed.end())
                block.type = it->second;
        if (const CompositeDefinition* existing = result.findComposite(name)) {
            auto equal = [&](const CompositeDefinition& a, const CompositeDefinition& b) {
                return same ? same(a, b) : a == b;
            };
            if (equal(*existing, definition))
                return;
            // Pasting the same clash again reuses the definition the first paste made.
            for (const CompositeDefinition& other : result.composites()) {
                CompositeDefinition candidate = definition;
                candidate.name = other.name;
                if (other.name.rfind(name, 0) == 0 && equal(other, candidate)) {
                    renamed[name] = other.name;
                    return;
                }
            }
            definition.name = freeCompositeName(result, name);
            renamed[name] = definition.name;
        }
        result.addComposite(std::move(definition));
    };
    for (const CompositeDefinition& definition : incoming)
        merge(definition.name);
    return result;
}

std::vector<CompositeDefinition> compositeClosure(const Graph& graph, const std::vector<std::string>& names)
{
    std::vector<CompositeDefinition> result;
    std::set<std::string> seen;
    std::function<void(const std::string&)> collect = [&](const std::string& name) {
        const CompositeDefinition* definition = graph.findComposite(name);
        if (!definition || !seen.insert(name).second)
            return;
        for (const Block& block : definition->blocks)
            collect(block.type);
        result.push_back(*definition);
    };
    for (const std::string& name : names)
        collect(name);
    return result;
}

std::string freeCompositeName(const Graph& graph, const std::string& base, int first)
{
    for (int n = first;; ++n) {
        const std::string name = base + std::to_string(n);
        if (!graph.findComposite(name) && !LayerRegistry::instance().find(name))
            return name;
    }
}

} // namespace netdraft::engine
