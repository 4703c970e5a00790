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
    // A target scaled by a parameter that went is dropped whole: its block keeps its own value rather
    // than silently losing a factor.
    const CompositeDefinition& self = *this;
    bool dropped = false;
    for (CompositeParameter& parameter : parameters)
        for (auto it = parameter.targets.begin(); it != parameter.targets.end();) {
            const bool stale = std::any_of(it->times.begin(), it->times.end(),
                [&](const std::string& factor) { return !isIntegerFactor(factor) && !self.findParameter(factor); });
            dropped |= stale;
            it = stale ? parameter.targets.erase(it) : std::next(it);
        }
    if (dropped)
        parameters.erase(std::remove_if(parameters.begin(), parameters.end(),
                             [](const CompositeParameter& parameter) { return parameter.targets.empty(); }),
            parameters.end());
}

bool isIntegerFactor(const std::string& factor)
{
    return !factor.empty() && factor.size() <= 18 && factor.front() != '0'
        && std::all_of(factor.begin(), factor.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string ParamTarget::text() const
{
    std::string result = block + "." + param;
    for (const std::string& factor : times)
        result += "*" + factor;
    return result;
}

std::optional<ParamTarget> parseParamTarget(const std::string& text)
{
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t star = text.find('*');; star = text.find('*', start)) {
        parts.push_back(text.substr(start, star == std::string::npos ? std::string::npos : star - start));
        if (star == std::string::npos)
            break;
        start = star + 1;
    }
    const std::string& end = parts.front();
    const size_t dot = end.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == end.size() || end.find('.', dot + 1) != std::string::npos)
        return std::nullopt;
    ParamTarget target { end.substr(0, dot), end.substr(dot + 1), { parts.begin() + 1, parts.end() } };
    for (const std::string& factor : target.times)
        if (factor.empty())
            return std::nullopt;
    return target;
}

} // namespace netdraft::engine
