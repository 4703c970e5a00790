#pragma once
// Internal to engine/io: one parameter or setting value ⇄ JSON, driven by its ParamSpec.

#include "engine/io/JsonPath.h"
#include "engine/layers/ParamSpec.h"

#include <optional>
#include <string>

namespace netdraft::engine {

/// Auto → "auto", lists → arrays, numbers and words as they are.
Json paramToJson(const ParamValue& value);

/// Reads a value of `spec` into canonical form (see ParamSpec::normalize). On failure returns
/// the reason without the parameter name: "must be an integer, got \"ten\"", "must be >= 1, got 0".
std::optional<std::string> paramFromJson(const Json& json, const ParamSpec& spec, ParamValue& value);

} // namespace netdraft::engine
