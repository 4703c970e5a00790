#pragma once
// Internal to engine/io: the current format's JSON ⇄ Project, without text, versions or files.

#include "engine/core/Problem.h"
#include "engine/io/JsonPath.h"
#include "engine/project/Project.h"

#include <vector>

namespace netdraft::engine {

/// The whole document in its fixed key order.
Json projectToJson(const Project& project);

/// Reads a document of the current version, adding every problem found; the result is only
/// meaningful when no error was added.
Project projectFromJson(const Json& root, std::vector<Problem>& problems);

/// Reads "$.graph": blocks with their parameters checked against the layer catalogue, and connections
/// between existing ports. The graph is only filled when no error was found.
Graph graphFromJson(const Json& graph, std::vector<Problem>& problems);
/// The same for a graph object found at `base` (problems name places under it); with `fillDefaults`
/// false a block keeps only the parameters it stores (the clipboard's fragments).
Graph graphFromJson(const Json& graph, std::vector<Problem>& problems, const std::string& base, bool fillDefaults);

/// `json` with "blocks" and "connections" added as the project format writes them.
Json bodyToJson(const std::vector<Block>& blocks, const std::vector<Connection>& connections, Json json);
/// One composite definition as in "$.graph.composites".
Json compositeToJson(const CompositeDefinition& definition);

/// Problems for keys of `object` that are not in `known` ("$.view: unknown key \"zoom_level\"").
void checkKnownKeys(
    const Json& object, const std::vector<const char*>& known, const std::string& path, std::vector<Problem>& problems);

/// Reads [x, y]; adds a problem and returns false when `json` is not a list of two numbers.
bool pointFromJson(const Json& json, const std::string& path, Point& point, std::vector<Problem>& problems);

} // namespace netdraft::engine
