#include "engine/graph/CompositeDefinition.h"

#include "engine/graph/Graph.h"

#include <algorithm>

namespace netdraft::engine {

const CompositeInput* CompositeDefinition::findInput(const std::string& port) const
{
    for (const CompositeInput& input : inputs)
        if (input.name == port)
            return &input;
    return nullptr;
}

const CompositeOutput* CompositeDefinition::findOutput(const std::string& port) const
{
    for (const CompositeOutput& output : outputs)
        if (output.name == port)
            return &output;
    return nullptr;
}

const CompositeParameter* CompositeDefinition::findParameter(const std::string& name) const
{
    for (const CompositeParameter& parameter : parameters)
        if (parameter.name == name)
            return &parameter;
    return nullptr;
}

const CompositeParameter* CompositeDefinition::parameterBinding(const std::string& block, const std::string& param) const
{
    for (const CompositeParameter& parameter : parameters)
        for (const ParamTarget& target : parameter.targets)
            if (target.block == block && target.param == param)
                return &parameter;
    return nullptr;
}

std::vector<std::string> CompositeDefinition::inputNames() const
{
    std::vector<std::string> names;
    for (const CompositeInput& input : inputs)
        names.push_back(input.name);
    return names;
}

std::vector<std::string> CompositeDefinition::outputNames() const
{
    std::vector<std::string> names;
    for (const CompositeOutput& output : outputs)
        names.push_back(output.name);
    return names;
}

Graph CompositeDefinition::body() const
{
    Graph graph;
    for (const Block& block : blocks)
        graph.addBlock(block);
    for (const Connection& connection : connections)
        graph.connect(connection);
    return graph;
}

void CompositeDefinition::setBody(const Graph& graph)
{
    blocks = graph.blocks();
    connections = graph.connections();
    for (CompositeParameter& parameter : parameters)
        parameter.targets.erase(std::remove_if(parameter.targets.begin(), parameter.targets.end(),
                                    [&](const ParamTarget& target) { return !graph.findBlock(target.block); }),
            parameter.targets.end());
    parameters.erase(std::remove_if(parameters.begin(), parameters.end(),
                         [](const CompositeParameter& parameter) { return parameter.targets.empty(); }),
        parameters.end());
}

} // namespace netdraft::engine
