#pragma once
// Internal to engine/io: the project file's fixed text layout.

#include "engine/io/JsonPath.h"

#include <string>

namespace netdraft::engine {

/// 2-space indentation, one key per line, lists of plain values on one line ("[3, 3]"), UTF-8 kept
/// as is, and a trailing newline. Throws Error for a number that is not finite, naming its path.
std::string writeJson(const Json& root);

} // namespace netdraft::engine
