#include "engine/network/CompiledNetwork.h"

#include "engine/core/Error.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/project/Project.h"

#include <algorithm>

namespace netdraft::engine {
namespace {

/// Every error of the inference, one per line, for the one Error a broken graph gives.
std::string errorLines(const InferenceResult& inference)
{
    std::string text;
    for (const Problem& problem : inference.problems())
        if (problem.isError())
            text += "\n  " + problem.toString();
    return text;
}

} // namespace

NetworkSignature signatureOf(const InferenceResult& inference)
{
    NetworkSignature signature;
    if (const BlockInference* input = inference.find(inference.inputBlock); input && input->output) {
        signature.inputShape = input->output->sampleDims();
        if (auto dtype = input->params.find("dtype"); dtype != input->params.end())
            if (const auto* name = std::get_if<std::string>(&dtype->second))
                signature.inputDtype = *name;
    }
    if (const BlockInference* output = inference.find(inference.outputBlock)) {
        if (!output->inputs.empty())
            signature.outputSize = output->inputs.front().back();
        if (auto task = output->params.find("task"); task != output->params.end())
            if (const auto* name = std::get_if<std::string>(&task->second))
                signature.classification = *name == "classification";
    }
    return signature;
}

size_t NetworkStep::outputCount() const
{
    return type->description().variadicOutputs() ? type->description().outputPorts(info->params).size() : 1;
}

BuildContext NetworkStep::buildContext() const
{
    return BuildContext{ParamReader(type->description(), info->params), info->inputs, *info->output};
}

CompiledNetwork CompiledNetwork::compile(const Graph& graph)
{
    return CompiledNetwork(compileState(graph));
}

CompiledNetwork CompiledNetwork::compile(const Project& project)
{
    std::shared_ptr<State> state = compileState(project.graph);
    state->signature.classification = isClassificationLoss(project.training.loss);
    return CompiledNetwork(std::move(state));
}

CompiledNetwork CompiledNetwork::compileForInspection(const Graph& graph)
{
    return CompiledNetwork(compileState(graph, true));
}

CompiledNetwork CompiledNetwork::compileForInspection(const Project& project)
{
    std::shared_ptr<State> state = compileState(project.graph, true);
    state->signature.classification = isClassificationLoss(project.training.loss);
    return CompiledNetwork(std::move(state));
}

std::shared_ptr<CompiledNetwork::State> CompiledNetwork::compileState(const Graph& graph, bool allowBlocksThatCannotRun)
{
    auto state = std::make_shared<State>();
    if (graph.hasCompositeInstances())
        state->expanded = expandComposites(graph);
    else
        state->expanded.graph = graph;
    state->inference = inferShapes(graph, state->expanded);
    const InferenceResult& inference = state->inference;
    ND_CHECK(allowBlocksThatCannotRun ? !inference.hasShapeErrors() : !inference.hasErrors(), "the graph has errors:",
        errorLines(inference));
    ND_CHECK(!inference.inputBlock.empty() && !inference.outputBlock.empty(),
        "the graph needs exactly one Input and one Output block");

    const Graph& flat = state->expanded.graph;
    for (const std::string& id : inference.order) {
        NetworkStep step;
        step.block = &flat.block(id);
        step.type = LayerRegistry::instance().find(step.block->type);
        ND_CHECK(step.type, "block ", id, ": unknown layer type '", step.block->type, "'");
        step.info = &inference.blocks.at(id);
        ND_CHECK(step.info->output, "block ", id, ": has no inferred output shape");
        for (const std::string& port : step.type->description().inputPorts(step.info->params)) {
            auto connection = flat.connectionInto({id, port});
            ND_CHECK(connection, "block ", id, ": input '", port, "' is not connected");
            const NetworkStep& source = state->steps.at(state->stepOf.at(connection->from.block));
            const std::vector<std::string> sourcePorts = source.type->description().outputPorts(source.info->params);
            const auto sourcePort = std::find(sourcePorts.begin(), sourcePorts.end(), connection->from.port);
            ND_CHECK(sourcePort != sourcePorts.end(), "block ", connection->from.block, ": has no output port '",
                connection->from.port, "'");
            step.inputSteps.push_back(state->stepOf.at(connection->from.block));
            step.inputOutputs.push_back(source.type->description().variadicOutputs()
                    ? static_cast<size_t>(sourcePort - sourcePorts.begin())
                    : 0);
        }
        if (id == inference.inputBlock)
            state->inputStep = state->steps.size();
        if (id == inference.outputBlock)
            state->outputStep = state->steps.size();
        state->stepOf[id] = state->steps.size();
        state->steps.push_back(std::move(step));
    }
    state->signature = signatureOf(inference);
    return state;
}

const NetworkStep& CompiledNetwork::step(const std::string& blockId) const
{
    auto found = state_->stepOf.find(blockId);
    ND_CHECK(found != state_->stepOf.end(), "no block '", blockId, "' in the compiled network");
    return state_->steps[found->second];
}

std::vector<const NetworkStep*> CompiledNetwork::layers() const
{
    std::vector<const NetworkStep*> result;
    for (size_t i = 0; i < state_->steps.size(); ++i)
        if (i != state_->inputStep && i != state_->outputStep)
            result.push_back(&state_->steps[i]);
    return result;
}

} // namespace netdraft::engine
