#pragma once
// Internal to engine/io: parses untrusted JSON text. Nesting is limited before parsing, syntax
// errors name the byte offset, and what JSON allows but a project must not contain (a key given
// twice, numbers that overflow to infinity) is reported with its path.

#include "engine/core/Problem.h"
#include "engine/io/JsonPath.h"

#include <string_view>
#include <vector>

namespace netdraft::engine {

/// Parses `text` into `root`; returns false and adds problems when the text is not acceptable JSON.
bool parseStrictJson(std::string_view text, int maxNesting, Json& root, std::vector<Problem>& problems);

} // namespace netdraft::engine
