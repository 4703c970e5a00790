#include "engine/io/JsonDepthGuard.h"

#include <algorithm>

namespace netdraft::engine {

std::optional<size_t> findExcessiveNesting(std::string_view text, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i; // the escaped character cannot end the string
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                return i;
        } else if (c == ']' || c == '}') {
            depth = std::max(0, depth - 1); // unbalanced closers are the parser's to report
        }
    }
    return std::nullopt;
}

std::string describeOffset(std::string_view text, size_t offset)
{
    offset = std::min(offset, text.size());
    const std::string_view before = text.substr(0, offset);
    const size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
    const size_t lastNewline = before.rfind('\n');
    const size_t column = lastNewline == std::string_view::npos ? offset + 1 : offset - lastNewline;
    return "byte " + std::to_string(offset) + " (line " + std::to_string(line) + ", column " + std::to_string(column)
        + ")";
}

} // namespace netdraft::engine
