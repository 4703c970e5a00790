// Inference of graphs with composite instances: runs on the expanded graph, then gives every instance
// the shapes of its ports and the problems of its inner blocks.

#include "engine/graph/CompositeExpansion.h"
#include "engine/inference/FlatInference.h"

#include <algorithm>
#include <atomic>
#include <set>

namespace netdraft::engine {
namespace {

std::atomic<uint64_t> inferenceRuns{0};

} // namespace

uint64_t shapeInferenceRuns()
{
    return inferenceRuns.load();
}

InferenceResult inferShapes(const Graph& graph)
{
    if (!graph.hasCompositeInstances()) {
        ++inferenceRuns;
        return inferFlatShapes(graph);
    }
    return inferShapes(graph, expandComposites(graph));
}

InferenceResult inferShapes(const Graph& graph, const ExpandedGraph& expanded)
{
    ++inferenceRuns;
    if (!graph.hasCompositeInstances())
        return inferFlatShapes(graph);
    InferenceResult result = inferFlatShapes(expanded.graph);
    result.graphProblems.insert(result.graphProblems.begin(), expanded.problems.begin(), expanded.problems.end());
    // Blocks in cycles that cross an instance: the ids in the message are expanded ids, kept as they are.
    result.documentOrder.clear();
    std::set<PortRef> unfed; // inner inputs behind unconnected instance inputs
    for (const Block& block : graph.blocks()) {
        result.documentOrder.push_back(block.id);
        if (!block.name.empty())
            result.names.emplace(block.id, block.name);
        const CompositeDefinition* definition = graph.findComposite(block.type);
        if (!definition)
            continue;
        BlockInference& info = result.blocks[block.id];
        // Output port order is the definition's; output is the first port's shape.
        for (const CompositeOutput& output : definition->outputs) {
            auto ports = expanded.instanceOutputs.find(block.id);
            if (ports == expanded.instanceOutputs.end() || !ports->second.count(output.name))
                continue;
            const PortRef& source = ports->second.at(output.name);
            if (const std::optional<Shape> shape = result.outputShape(source)) {
                info.portOutputs.emplace(output.name, *shape);
                if (!info.output)
                    info.output = *shape;
            }
        }
        // Input shapes in port order, from the blocks feeding the ports.
        bool inputsKnown = true;
        std::vector<Shape> inputs;
        for (const CompositeInput& input : definition->inputs) {
            auto connection = graph.connectionInto({block.id, input.name});
            if (!connection) {
                info.errors.push_back("input '" + input.name + "' is not connected");
                inputsKnown = false;
                if (auto ports = expanded.instanceInputs.find(block.id); ports != expanded.instanceInputs.end())
                    if (auto targets = ports->second.find(input.name); targets != ports->second.end())
                        unfed.insert(targets->second.begin(), targets->second.end());
                continue;
            }
            if (auto shape = result.shapeOf(*connection))
                inputs.push_back(*shape);
            else
                inputsKnown = false;
        }
        if (inputsKnown)
            info.inputs = std::move(inputs);
    }
    // Inner problems go to their instance, naming the definition and the inner block.
    for (const auto& [id, origin] : expanded.origins) {
        const BlockInference* inner = result.find(id);
        if (!inner)
            continue;
        const auto& innerId = id; // C++17 lambdas cannot capture structured bindings (clang refuses)
        const std::string& type = graph.block(origin.instance).type;
        BlockInference& info = result.blocks[origin.instance];
        for (const std::string& message : inner->errors) {
            // An unconnected instance input already says so once.
            const bool behindUnfedPort = std::any_of(unfed.begin(), unfed.end(), [&](const PortRef& port) {
                return port.block == innerId && message == "input '" + port.port + "' is not connected";
            });
            if (behindUnfedPort)
                continue;
            info.errors.push_back("inside " + type + ", block " + origin.innerPath + ": " + message);
            if (std::find(inner->runErrors.begin(), inner->runErrors.end(), message) != inner->runErrors.end())
                info.runErrors.push_back(info.errors.back());
        }
        for (const std::string& message : inner->warnings)
            if (message != "output is not used")
                info.warnings.push_back("inside " + type + ", block " + origin.innerPath + ": " + message);
    }
    for (const Block& block : graph.blocks()) {
        if (!graph.findComposite(block.type))
            continue;
        BlockInference& info = result.blocks[block.id];
        if (info.errors.empty() && !info.output)
            info.errors.push_back(block.type + " gave no output shape");
        if (graph.connectionsFrom(block.id).empty())
            info.warnings.push_back("output is not used");
    }
    // Problems placed on an instance by the expansion belong to that block.
    for (auto it = result.graphProblems.begin(); it != result.graphProblems.end();) {
        if (!it->blockId.empty() && graph.findBlock(it->blockId)) {
            result.blocks[it->blockId].errors.push_back(it->message);
            it = result.graphProblems.erase(it);
        } else {
            ++it;
        }
    }
    return result;
}

} // namespace netdraft::engine
