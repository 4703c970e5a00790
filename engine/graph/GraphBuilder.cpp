#include "engine/graph/GraphBuilder.h"

#include "engine/core/Error.h"
#include "engine/layers/LayerRegistry.h"

#include <cctype>

namespace netdraft::engine {

namespace {
std::string lowercase(std::string text)
{
    for (char& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}
} // namespace

GraphBuilder& GraphBuilder::input(const IntList& sampleShape, const std::string& id)
{
    add("Input", {{"shape", sampleShape}}, id);
    return *this;
}

GraphBuilder& GraphBuilder::add(const std::string& type, const ParamMap& params, const std::string& id)
{
    const LayerType* layer = LayerRegistry::instance().find(type);
    ND_CHECK(layer, "unknown layer type '", type, "'");
    Block block;
    block.type = type;
    block.id = id.empty() ? graph_.uniqueId(lowercase(type)) : id;
    block.params = layer->description().defaultParams();
    for (const auto& [name, value] : params)
        block.params[name] = value;
    block.position = {nextX_, 0};
    nextX_ += 200;
    last_ = graph_.addBlock(std::move(block)).id;
    return *this;
}

GraphBuilder& GraphBuilder::then(const std::string& type, const ParamMap& params, const std::string& id)
{
    const std::string previous = last_;
    add(type, params, id);
    if (!previous.empty()) {
        const LayerType* layer = LayerRegistry::instance().find(type);
        auto ports = layer->description().inputPorts(graph_.block(last_).params);
        const Block& source = graph_.block(previous);
        const LayerType* sourceType = LayerRegistry::instance().find(source.type);
        const std::vector<std::string> outputs
            = sourceType ? sourceType->description().outputPorts(source.params) : std::vector<std::string>{"out"};
        if (!ports.empty() && !outputs.empty())
            graph_.connect({{previous, outputs.front()}, {last_, ports.front()}});
    }
    return *this;
}

GraphBuilder& GraphBuilder::connect(
    const std::string& fromId, const std::string& to, const std::string& port, const std::string& fromPort)
{
    graph_.connect({{fromId, fromPort}, {to, port}});
    return *this;
}

GraphBuilder& GraphBuilder::from(const std::string& id)
{
    graph_.block(id);
    last_ = id;
    return *this;
}

GraphBuilder& GraphBuilder::output(const std::string& task, const std::string& id)
{
    return then("Output", {{"task", task}}, id);
}

} // namespace netdraft::engine
