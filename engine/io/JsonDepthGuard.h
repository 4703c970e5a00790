#pragma once
// Text-level checks run before JSON is parsed. nlohmann parses deep nesting but destroying or
// copying the result recurses once per level, so 100,000 nested brackets would overflow the stack.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace netdraft::engine {

/// Offset of the first '[' or '{' (outside strings) that opens level `maxDepth + 1`, if any.
std::optional<size_t> findExcessiveNesting(std::string_view text, int maxDepth);

/// "byte 123 (line 5, column 7)": a zero-based byte offset with its 1-based line and column (in bytes).
std::string describeOffset(std::string_view text, size_t offset);

} // namespace netdraft::engine
