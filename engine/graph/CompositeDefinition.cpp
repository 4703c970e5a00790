#include "engine/graph/CompositeDefinition.h"

#include "engine/graph/Graph.h"

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
}

} // namespace netdraft::engine
