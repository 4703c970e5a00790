#include "engine/graph/CompositeGrouping.h"

#include "engine/core/Error.h"
#include "engine/graph/CompositeParameters.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <limits>
#include <map>
#include <set>

namespace netdraft::engine {

namespace {

std::string portName(const char* base, size_t index)
{
    return index == 0 ? std::string(base) : base + std::to_string(index + 1);
}

} // namespace

Point compositeAnchor(const CompositeDefinition& definition)
{
    if (definition.blocks.empty())
        return {};
    Point anchor{std::numeric_limits<double>::max(), std::numeric_limits<double>::max()};
    for (const Block& block : definition.blocks) {
        anchor.x = std::min(anchor.x, block.position.x);
        anchor.y = std::min(anchor.y, block.position.y);
    }
    return anchor;
}

Graph groupBlocks(const Graph& graph, const std::vector<std::string>& ids, const std::string& name,
                  const std::string& instanceId)
{
    ND_CHECK(!ids.empty(), "select the blocks to group");
    const std::set<std::string> selected(ids.begin(), ids.end());
    for (const std::string& id : selected) {
        const Block& block = graph.block(id);
        ND_CHECK(block.type != "Input" && block.type != "Output", "block ", id, ": the ", block.type,
                 " block cannot be part of a composite block");
    }
    ND_CHECK(!graph.findBlock(instanceId) || selected.count(instanceId), "block id '", instanceId,
             "' is already used");

    CompositeDefinition definition;
    definition.name = name;
    std::map<PortRef, size_t> inputOf;  // outside source → input port index
    std::map<PortRef, size_t> outputOf; // inner source → output port index
    for (const Block& block : graph.blocks())
        if (selected.count(block.id))
            definition.blocks.push_back(block);
    Graph result;
    Block instance;
    instance.id = instanceId;
    instance.type = name;
    instance.position = compositeAnchor(definition);
    bool instancePlaced = false;
    for (const Block& block : graph.blocks()) {
        if (!selected.count(block.id)) {
            result.addBlock(block);
        } else if (!instancePlaced) {
            instancePlaced = true;
            result.addBlock(instance);
        }
    }
    std::vector<Connection> outside;
    for (const Connection& c : graph.connections()) {
        const bool from = selected.count(c.from.block) > 0;
        const bool to = selected.count(c.to.block) > 0;
        if (from && to) {
            definition.connections.push_back(c);
        } else if (to) {
            auto [it, added] = inputOf.emplace(c.from, definition.inputs.size());
            if (added)
                definition.inputs.push_back({portName("in", it->second), {}});
            definition.inputs[it->second].targets.push_back(c.to);
            outside.push_back({c.from, {instanceId, definition.inputs[it->second].name}});
        } else if (from) {
            auto [it, added] = outputOf.emplace(c.from, definition.outputs.size());
            if (added)
                definition.outputs.push_back({portName("out", it->second), c.from});
            outside.push_back({{instanceId, definition.outputs[it->second].name}, c.to});
        } else {
            outside.push_back(c);
        }
    }
    // A group that feeds nothing outside still shows its last block's output, so it can be connected later.
    if (definition.outputs.empty()) {
        std::set<std::string> feeding;
        for (const Connection& c : definition.connections)
            feeding.insert(c.from.block);
        for (auto it = definition.blocks.rbegin(); it != definition.blocks.rend(); ++it)
            if (!feeding.count(it->id)) {
                definition.outputs.push_back({"out", {it->id, "out"}});
                break;
            }
    }
    for (const CompositeDefinition& existing : graph.composites())
        result.addComposite(existing);
    result.addComposite(std::move(definition));
    for (const Connection& c : outside)
        result.connect(c);
    return result;
}

Graph ungroupBlock(const Graph& graph, const std::string& instanceId, std::map<std::string, std::string>* renamedIds)
{
    const Block& instance = graph.block(instanceId);
    const CompositeDefinition* definition = graph.findComposite(instance.type);
    ND_CHECK(definition, "block ", instanceId, " is not a composite block");

    // Inner ids stay when free; the instance's own id is free once it is gone.
    std::set<std::string> taken;
    for (const Block& block : graph.blocks())
        if (block.id != instanceId)
            taken.insert(block.id);
    std::map<std::string, std::string> renamed;
    for (const Block& block : definition->blocks) {
        std::string id = block.id;
        if (taken.count(id)) {
            std::string base = id;
            while (!base.empty() && std::isdigit(static_cast<unsigned char>(base.back())))
                base.pop_back();
            for (int n = 1; taken.count(id); ++n)
                id = (base.empty() ? std::string("block") : base) + std::to_string(n);
        }
        taken.insert(id);
        renamed[block.id] = id;
    }
    auto rename = [&](const PortRef& end) { return PortRef{renamed.at(end.block), end.port}; };

    const Point anchor = compositeAnchor(*definition);
    Graph result;
    for (const Block& block : graph.blocks()) {
        if (block.id != instanceId) {
            result.addBlock(block);
            continue;
        }
        for (Block inner : parameterisedBlocks(*definition, &instance)) { // the instance's values stay
            inner.id = renamed.at(inner.id);
            inner.position = {instance.position.x + inner.position.x - anchor.x,
                              instance.position.y + inner.position.y - anchor.y};
            result.addBlock(std::move(inner));
        }
    }
    for (const CompositeDefinition& existing : graph.composites())
        result.addComposite(existing);
    for (const Connection& c : graph.connections()) {
        if (c.to.block == instanceId) {
            const CompositeInput* input = definition->findInput(c.to.port);
            ND_CHECK(input, "block ", instanceId, " has no input port '", c.to.port, "'");
            for (const PortRef& target : input->targets)
                result.connect({c.from, rename(target)});
        } else if (c.from.block == instanceId) {
            const CompositeOutput* output = definition->findOutput(c.from.port);
            ND_CHECK(output, "block ", instanceId, " has no output port '", c.from.port, "'");
            result.connect({rename(output->source), c.to});
        } else {
            result.connect(c);
        }
    }
    for (const Connection& c : definition->connections)
        result.connect({rename(c.from), rename(c.to)});
    if (renamedIds)
        *renamedIds = renamed;
    return result;
}

namespace {

/// `project` with the body of `scope` taken from `inside`, its ports set to `scope`'s, and the
/// definitions `inside` has and `project` lacks added last (as groupBlocks adds them).
Graph withInside(const Graph& project, CompositeDefinition scope, const Graph& inside)
{
    scope.setBody(inside);
    Graph result;
    for (const CompositeDefinition& definition : project.composites())
        result.addComposite(definition.name == scope.name ? scope : definition);
    for (const CompositeDefinition& definition : inside.composites())
        if (!project.findComposite(definition.name))
            result.addComposite(definition);
    for (const Block& block : project.blocks())
        result.addBlock(block);
    for (const Connection& connection : project.connections())
        result.connect(connection);
    dropStaleCompositeParameters(result);
    return result;
}

/// `base`, or `base` followed by 2, 3, ... : the first name not in `taken`.
std::string freePortName(const std::vector<std::string>& taken, const std::string& base)
{
    std::string name = base;
    for (int n = 2; std::find(taken.begin(), taken.end(), name) != taken.end(); ++n)
        name = base + std::to_string(n);
    return name;
}

} // namespace

Graph compositeInside(const Graph& project, const CompositeDefinition& definition)
{
    Graph inside = definition.body();
    for (const CompositeDefinition& other : project.composites())
        inside.addComposite(other);
    return inside;
}

Graph groupInsideComposite(const Graph& graph, const std::string& scope, const std::vector<std::string>& ids,
    const std::string& name, const std::string& instanceId)
{
    const CompositeDefinition* found = graph.findComposite(scope);
    ND_CHECK(found, "no composite block named '", scope, "'");
    CompositeDefinition outer = *found;
    Graph inside = groupBlocks(compositeInside(graph, outer), ids, name, instanceId);
    CompositeDefinition group = *inside.findComposite(name);
    const std::set<std::string> selected(ids.begin(), ids.end());

    // An outer input feeding grouped blocks feeds one new input of the group, which feeds them.
    for (CompositeInput& input : outer.inputs) {
        std::vector<PortRef> targets;
        CompositeInput inner { freePortName(group.inputNames(), input.name), {} };
        for (const PortRef& target : input.targets) {
            if (!selected.count(target.block)) {
                targets.push_back(target);
                continue;
            }
            inner.targets.push_back(target);
            if (inner.targets.size() == 1)
                targets.push_back({ instanceId, inner.name });
        }
        if (!inner.targets.empty())
            group.inputs.push_back(std::move(inner));
        input.targets = std::move(targets);
    }
    // An outer output exposing a grouped block's output exposes the group's output for it.
    for (CompositeOutput& output : outer.outputs) {
        if (!selected.count(output.source.block))
            continue;
        auto same = std::find_if(group.outputs.begin(), group.outputs.end(),
            [&](const CompositeOutput& existing) { return existing.source == output.source; });
        if (same == group.outputs.end()) {
            group.outputs.push_back({ freePortName(group.outputNames(), output.name), output.source });
            same = std::prev(group.outputs.end());
        }
        output.source = { instanceId, same->name };
    }
    inside.replaceComposite(group);
    return withInside(graph, outer, inside);
}

Graph ungroupInsideComposite(const Graph& graph, const std::string& scope, const std::string& instanceId)
{
    const CompositeDefinition* found = graph.findComposite(scope);
    ND_CHECK(found, "no composite block named '", scope, "'");
    CompositeDefinition outer = *found;
    const Graph before = compositeInside(graph, outer);
    const CompositeDefinition* group = before.findComposite(before.block(instanceId).type);
    ND_CHECK(group, "block ", instanceId, " is not a composite block");
    std::map<std::string, std::string> renamed;
    const Graph inside = ungroupBlock(before, instanceId, &renamed);
    auto rename = [&](const PortRef& end) { return PortRef { renamed.at(end.block), end.port }; };

    for (CompositeInput& input : outer.inputs) {
        std::vector<PortRef> targets;
        for (const PortRef& target : input.targets) {
            const CompositeInput* inner = target.block == instanceId ? group->findInput(target.port) : nullptr;
            if (target.block != instanceId)
                targets.push_back(target);
            else if (inner)
                for (const PortRef& innerTarget : inner->targets)
                    targets.push_back(rename(innerTarget));
        }
        input.targets = std::move(targets);
    }
    for (CompositeOutput& output : outer.outputs)
        if (output.source.block == instanceId)
            if (const CompositeOutput* inner = group->findOutput(output.source.port))
                output.source = rename(inner->source);
    return withInside(graph, outer, inside);
}

} // namespace netdraft::engine
