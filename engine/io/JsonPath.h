#pragma once
// Internal to engine/io (includes nlohmann): the JSON type used by the project format and how
// places and values are named in load problems ("$.graph.blocks[2].id", got "ten").

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace netdraft::engine {

/// Keeps the key order of the file, so that writing is deterministic and diffs stay small.
using Json = nlohmann::ordered_json;

/// "$.graph" + "blocks" → "$.graph.blocks"; keys that are not identifiers are quoted: $["my key"].
std::string childPath(const std::string& parent, const std::string& key);
/// "$.graph.blocks" + 2 → "$.graph.blocks[2]".
std::string indexPath(const std::string& parent, size_t index);

/// A JSON value as shown in messages: "ten" quoted, numbers as written, long values cut with "…".
std::string describeJson(const Json& value);

} // namespace netdraft::engine
