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
    if (block.frozen) // only when set, so that files without frozen blocks keep their version 2 layout
        json["frozen"] = true;
    if (block.learningRateScale != 1.0) // likewise: files without scales keep their layout
        json["learning_rate_scale"] = block.learningRateScale;
    return json;
}

Json endText(const PortRef& end)
{
    return end.block + "." + end.port;
}

Json graphToJson(const Graph& graph)
{
    Json json = bodyToJson(graph.blocks(), graph.connections(), Json::object());
    // Written only when there are some, so that projects without composites keep their version 1 layout.
    if (!graph.composites().empty()) {
        Json composites = Json::array();
        for (const CompositeDefinition& definition : graph.composites())
            composites.push_back(compositeToJson(definition));
        json["composites"] = std::move(composites);
    }
    return json;
}

Json experimentToJson(const ExperimentPlan& plan)
{
    Json json = Json::object();
    json["grid"] = plan.grid;
    json["trials"] = plan.trials;
    json["random_trials"] = plan.randomTrials;
    json["seed"] = plan.seed;
    json["parallel"] = plan.parallel;
    json["prune_after"] = plan.pruneAfter;
    json["prune_min_trials"] = plan.pruneMinTrials;
    return json;
}

} // namespace

Json bodyToJson(const std::vector<Block>& blocks, const std::vector<Connection>& connections, Json json)
{
    Json blockList = Json::array();
    for (const Block& block : blocks)
        blockList.push_back(blockToJson(block));
    Json connectionList = Json::array();
    for (const Connection& c : connections) {
        Json connection = Json::object();
        connection["from"] = endText(c.from);
        connection["to"] = endText(c.to);
        connectionList.push_back(std::move(connection));
    }
    json["blocks"] = std::move(blockList);
    json["connections"] = std::move(connectionList);
    return json;
}

Json compositeToJson(const CompositeDefinition& definition)
{
    Json json = Json::object();
    json["name"] = definition.name;
    json["description"] = definition.description;
    Json inputs = Json::array();
    for (const CompositeInput& input : definition.inputs) {
        Json targets = Json::array();
        for (const PortRef& target : input.targets)
            targets.push_back(endText(target));
        Json port = Json::object();
        port["name"] = input.name;
        port["to"] = std::move(targets);
        inputs.push_back(std::move(port));
    }
    Json outputs = Json::array();
    for (const CompositeOutput& output : definition.outputs) {
        Json port = Json::object();
        port["name"] = output.name;
        port["from"] = endText(output.source);
        outputs.push_back(std::move(port));
    }
    json["inputs"] = std::move(inputs);
    json["outputs"] = std::move(outputs);
    if (!definition.parameters.empty()) { // only when it has some, so that other definitions keep their layout
        Json parameters = Json::array();
        for (const CompositeParameter& parameter : definition.parameters) {
            Json targets = Json::array();
            for (const ParamTarget& target : parameter.targets)
                targets.push_back(target.text());
            Json entry = Json::object();
            entry["name"] = parameter.name;
            entry["default"] = paramToJson(parameter.defaultValue);
            entry["targets"] = std::move(targets);
            parameters.push_back(std::move(entry));
        }
        json["parameters"] = std::move(parameters);
    }
    return bodyToJson(definition.blocks, definition.connections, std::move(json));
}

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
    if (!project.initialWeights.empty())
        root["initial_weights"] = project.initialWeights;
    if (!project.experiment.empty()) // only when saved, so that other projects keep their version 3 layout
        root["experiment"] = experimentToJson(project.experiment);
    Json view = Json::object();
    view["zoom"] = coordinate(project.view.zoom);
    view["center"] = point(project.view.center);
    root["view"] = std::move(view);
    return root;
}

} // namespace netdraft::engine
