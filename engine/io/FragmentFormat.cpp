#include "engine/io/FragmentFormat.h"

#include "engine/core/Error.h"
#include "engine/io/ProjectFormat.h"
#include "engine/io/ProjectJson.h"
#include "engine/io/StrictJsonParser.h"
#include "engine/layers/LayerRegistry.h"

#include <set>

namespace netdraft::engine {
namespace {

constexpr const char* kFormatName = "netdraft-blocks";

/// Version 1 wrote "auto" as null; the reader wants the project format's "auto".
void nullParamsToAuto(Json& blocks)
{
    if (!blocks.is_array())
        return;
    for (Json& block : blocks)
        if (block.is_object())
            if (auto params = block.find("params"); params != block.end() && params->is_object())
                for (auto& [name, value] : params->items())
                    if (value.is_null())
                        value = "auto";
}

} // namespace

std::string serializeFragment(const GraphFragment& fragment)
{
    Json root = Json::object();
    root["format"] = kFormatName;
    root["version"] = kFragmentFormatVersion;
    root = bodyToJson(fragment.blocks, fragment.connections, std::move(root));
    if (!fragment.composites.empty()) {
        Json composites = Json::array();
        for (const CompositeDefinition& definition : fragment.composites)
            composites.push_back(compositeToJson(definition));
        root["composites"] = std::move(composites);
    }
    return root.dump();
}

GraphFragment parseFragment(std::string_view text, const Graph& receiving, const std::string& sourceName)
{
    Json root;
    std::vector<Problem> syntax;
    // The project file's parser: duplicate keys and nesting deeper than any real graph are refused too.
    if (!parseStrictJson(text, kMaxProjectNesting, root, syntax))
        ND_CHECK(false, sourceName, ": not JSON (", syntax.empty() ? std::string("unreadable") : syntax.front().toString(),
            ")");
    ND_CHECK(root.is_object() && root.value("format", "") == kFormatName, sourceName, ": \"format\" must be \"",
        kFormatName, "\"");
    const int version = root.value("version", -1);
    ND_CHECK(version >= 1 && version <= kFragmentFormatVersion, sourceName, ": version ", version,
        " is not supported (this build reads 1 to ", kFragmentFormatVersion, ")");
    Json graph = Json::object();
    graph["blocks"] = root.value("blocks", Json::array());
    graph["connections"] = root.value("connections", Json::array());
    if (version == 1)
        nullParamsToAuto(graph["blocks"]);

    // Say which blocks a connection leaves the fragment for, rather than "unknown block".
    for (const char* key : { "blocks", "connections" })
        ND_CHECK(graph[key].is_array(), sourceName, ": \"", key, "\" must be a list, got ", describeJson(graph[key]));
    std::set<std::string> ids;
    for (const Json& block : graph["blocks"])
        if (block.is_object() && block.contains("id") && block["id"].is_string())
            ids.insert(block["id"].get<std::string>());
    for (size_t i = 0; i < graph["connections"].size(); ++i) {
        const Json& connection = graph["connections"][i];
        for (const char* end : { "from", "to" }) {
            const Json text = connection.is_object() ? connection.value(end, Json()) : Json();
            const std::string value = text.is_string() ? text.get<std::string>() : "";
            ND_CHECK(value.find('.') == std::string::npos || ids.count(value.substr(0, value.find('.'))), sourceName,
                ": connections[", i, "] joins blocks that are not in the clipboard");
        }
    }

    // Carried definitions first; the receiving project's fill in for blocks of older fragments.
    std::set<std::string> carried;
    Json composites = root.value("composites", Json::array());
    ND_CHECK(composites.is_array(), sourceName, ": \"composites\" must be a list");
    for (const Json& definition : composites)
        if (definition.is_object() && definition.contains("name") && definition["name"].is_string())
            carried.insert(definition["name"].get<std::string>());
    std::set<std::string> known = carried;
    for (const CompositeDefinition& definition : receiving.composites())
        if (known.insert(definition.name).second)
            composites.push_back(compositeToJson(definition));
    // A type nobody knows is named by its place in the fragment (the reader would name the block).
    for (size_t i = 0; i < graph["blocks"].size(); ++i) {
        const Json& block = graph["blocks"][i];
        const Json type = block.is_object() ? block.value("type", Json()) : Json();
        if (type.is_string() && !LayerRegistry::instance().find(type.get<std::string>()))
            ND_CHECK(known.count(type.get<std::string>()), sourceName, ": blocks[", i, "].type: unknown layer type '",
                type.get<std::string>(), "'");
    }
    if (!composites.empty())
        graph["composites"] = std::move(composites);

    std::vector<Problem> problems;
    const Graph read = graphFromJson(graph, problems, "$", false);
    if (!problems.empty()) {
        std::string message = sourceName + ":";
        for (const Problem& problem : problems)
            message += (problems.size() == 1 ? " " : "\n  ") + problem.toString();
        throw Error(message);
    }
    GraphFragment fragment;
    fragment.blocks = read.blocks();
    fragment.connections = read.connections();
    for (const CompositeDefinition& definition : read.composites())
        if (carried.count(definition.name))
            fragment.composites.push_back(definition);
    return fragment;
}

bool sameCompositeDefinition(const CompositeDefinition& a, const CompositeDefinition& b)
{
    return a == b || compositeToJson(a) == compositeToJson(b);
}

} // namespace netdraft::engine
