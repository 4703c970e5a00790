#include "engine/io/JsonPath.h"

#include "engine/graph/Graph.h"

namespace netdraft::engine {

namespace {
constexpr size_t kShownBytes = 48;

/// Cuts at a UTF-8 character boundary so that messages stay valid text.
std::string shorten(std::string text)
{
    if (text.size() <= kShownBytes)
        return text;
    size_t end = kShownBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
        --end;
    return text.substr(0, end) + "\u2026";
}
} // namespace

std::string childPath(const std::string& parent, const std::string& key)
{
    if (isValidBlockId(key))
        return parent + "." + key;
    return parent + "[" + Json(key).dump(-1, ' ', false, Json::error_handler_t::replace) + "]";
}

std::string indexPath(const std::string& parent, size_t index)
{
    return parent + "[" + std::to_string(index) + "]";
}

std::string describeJson(const Json& value)
{
    if (value.is_object())
        return value.empty() ? "an empty object" : "an object";
    return shorten(value.dump(-1, ' ', false, Json::error_handler_t::replace));
}

} // namespace netdraft::engine
