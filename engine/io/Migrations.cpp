#include "engine/io/Migrations.h"

#include "engine/core/Error.h"
#include "engine/io/ProjectFormat.h"

#include <array>

namespace netdraft::engine {

namespace {

/// Version 0 (the prototype's files) differed from version 1 in the graph's layout and one key:
///   graph.nodes[]:  {"id", "type", "label", "params", "x", "y"}     → graph.blocks[]: {"id", "type",
///                                                                      "name", "params", "position": [x, y]}
///   graph.edges[]:  {"source", "sourcePort", "target", "targetPort"} → graph.connections[]:
///                   (ports optional: "out" and "in")                   {"from": "source.port", "to": "target.port"}
///   training.lr                                                      → training.learning_rate
///   no "view" section (version 1 defaults it).
void migrateNode(Json& node)
{
    if (!node.is_object())
        return;
    // Values are copied out before inserting: inserting may move the object's storage.
    if (node.contains("label")) {
        Json label = node["label"];
        node.erase("label");
        node["name"] = std::move(label);
    }
    if (node.contains("x") || node.contains("y")) {
        Json position = Json::array({ node.value("x", Json(0)), node.value("y", Json(0)) });
        node["position"] = std::move(position);
        node.erase("x");
        node.erase("y");
    }
}

void migrateEdge(Json& edge, const std::string& path, std::vector<Problem>& problems)
{
    if (!edge.is_object())
        return;
    const Json source = edge.value("source", Json());
    const Json target = edge.value("target", Json());
    const Json sourcePort = edge.value("sourcePort", Json("out"));
    const Json targetPort = edge.value("targetPort", Json("in"));
    if (!source.is_string() || !target.is_string() || !sourcePort.is_string() || !targetPort.is_string()) {
        problems.push_back({ path, "a version 0 edge needs \"source\" and \"target\" block ids (and text ports)" });
        return;
    }
    edge = Json::object();
    edge["from"] = source.get<std::string>() + "." + sourcePort.get<std::string>();
    edge["to"] = target.get<std::string>() + "." + targetPort.get<std::string>();
}

void migrateV0ToV1(Json& root, std::vector<Problem>& problems)
{
    if (root.contains("graph") && root["graph"].is_object()) {
        Json& graph = root["graph"];
        if (graph.contains("nodes")) {
            Json nodes = std::move(graph["nodes"]);
            graph.erase("nodes");
            if (nodes.is_array())
                for (Json& node : nodes)
                    migrateNode(node);
            graph["blocks"] = std::move(nodes);
        }
        if (graph.contains("edges")) {
            Json edges = std::move(graph["edges"]);
            graph.erase("edges");
            if (edges.is_array())
                for (size_t i = 0; i < edges.size(); ++i)
                    migrateEdge(edges[i], indexPath("$.graph.edges", i), problems);
            graph["connections"] = std::move(edges);
        }
    }
    if (root.contains("training") && root["training"].is_object() && root["training"].contains("lr")) {
        Json& training = root["training"];
        Json rate = training["lr"];
        training.erase("lr");
        training["learning_rate"] = std::move(rate);
    }
}

/// Version 2 added composite block definitions ("$.graph.composites", optional): version 1 files read as they are.
void migrateV1ToV2(Json&, std::vector<Problem>&) {}

/// Version 3 added frozen blocks ("frozen": true on a block, written only when set) and the project's
/// starting weights ("$.initial_weights", optional): version 2 files read as they are.
void migrateV2ToV3(Json&, std::vector<Problem>&) {}

/// Version 4 added the saved experiment ("$.experiment", optional): version 3 files read as they are.
void migrateV3ToV4(Json&, std::vector<Problem>&) {}

/// Version 5 added composite parameters ("parameters" of a definition, written only when it has some, and
/// the values instances set in their "params", which earlier versions refused): version 4 files read as they are.
/// Later, still version 5: a target may carry factors ("expand.out_channels*in_channels"); files without
/// them read and write exactly as before.
void migrateV4ToV5(Json&, std::vector<Problem>&) {}

using Migration = void (*)(Json& root, std::vector<Problem>& problems);

/// Entry v migrates version v to v + 1. A format change adds one entry and bumps kProjectFormatVersion.
constexpr std::array<Migration, kProjectFormatVersion> kMigrations { migrateV0ToV1, migrateV1ToV2, migrateV2ToV3, migrateV3ToV4,
    migrateV4ToV5 };

} // namespace

void migrateProject(Json& root, int fromVersion, std::vector<Problem>& problems)
{
    ND_CHECK(fromVersion >= 0 && fromVersion <= kProjectFormatVersion, "cannot migrate format version ", fromVersion);
    for (int version = fromVersion; version < kProjectFormatVersion; ++version) {
        kMigrations[static_cast<size_t>(version)](root, problems);
        root["version"] = version + 1;
    }
}

} // namespace netdraft::engine
