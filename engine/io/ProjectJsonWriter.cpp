#include "engine/io/ParamJson.h"
#include "engine/io/ProjectFormat.h"
#include "engine/io/ProjectJson.h"
#include "engine/io/SettingsJson.h"
#include "engine/layers/LayerRegistry.h"

#include <cmath>

namespace netdraft::engine {

namespace {

/// Canvas coordinates are mostly whole numbers: write 200 rather than 200.0 to keep files readable.
Json coordinate(double value)
{
    if (std::floor(value) == value && std::abs(value) < 9007199254740992.0)
        return static_cast<int64_t>(value);
    return value;
}

Json point(const Point& p)
{
    return Json::array({ coordinate(p.x), coordinate(p.y) });
}

Json blockToJson(const Block& block)
{
    Json json = Json::object();
    json["id"] = block.id;
    json["type"] = block.type;
    json["name"] = block.name;
    Json params = Json::object();
    const LayerType* type = LayerRegistry::instance().find(block.type);
    for (const auto& [name, value] : block.params) { // ParamMap is ordered by name
        // Written in the spec's canonical form (kernel_size 3 → [3, 3]), as the loader reads it back,
        // so that a document built in code saves the same bytes as after a reload.
        ParamValue canonical = value;
        const ParamSpec* spec = type ? type->description().findParam(name) : nullptr;
        params[name] = paramToJson(spec && !spec->normalize(canonical) ? canonical : value);
    }
    json["params"] = std::move(params);
    json["position"] = point(block.position);
    return json;
}

Json graphToJson(const Graph& graph)
{
    Json blocks = Json::array();
    for (const Block& block : graph.blocks())
        blocks.push_back(blockToJson(block));
    Json connections = Json::array();
    for (const Connection& c : graph.connections()) {
        Json json = Json::object();
        json["from"] = c.from.block + "." + c.from.port;
        json["to"] = c.to.block + "." + c.to.port;
        connections.push_back(std::move(json));
    }
    Json json = Json::object();
    json["blocks"] = std::move(blocks);
    json["connections"] = std::move(connections);
    return json;
}

} // namespace

Json projectToJson(const Project& project)
{
    Json root = Json::object();
    root["format"] = "netdraft";
    root["version"] = kProjectFormatVersion;
    root["name"] = project.name;
    root["description"] = project.description;
    root["graph"] = graphToJson(project.graph);
    root["dataset"] = settingsToJson(project.dataset);
    root["training"] = settingsToJson(project.training);
    Json view = Json::object();
    view["zoom"] = coordinate(project.view.zoom);
    view["center"] = point(project.view.center);
    root["view"] = std::move(view);
    return root;
}

} // namespace netdraft::engine
