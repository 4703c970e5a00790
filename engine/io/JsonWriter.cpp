#include "engine/io/JsonWriter.h"

#include "engine/core/Error.h"

#include <algorithm>
#include <cmath>

namespace netdraft::engine {

namespace {

void writeScalar(const Json& value, const std::string& path, std::string& out)
{
    ND_CHECK(!value.is_number_float() || std::isfinite(value.get<double>()), "cannot write ", path, ": ",
        value.get<double>(), " is not a finite number");
    // Invalid UTF-8 (not possible from a loaded file) is replaced rather than failing the save.
    out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void writeValue(const Json& value, const std::string& path, int indent, std::string& out)
{
    const std::string inner(static_cast<size_t>(indent + 2), ' ');
    if (value.is_object()) {
        if (value.empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        size_t i = 0;
        for (const auto& [key, child] : value.items()) {
            out += inner;
            writeScalar(Json(key), path, out);
            out += ": ";
            writeValue(child, childPath(path, key), indent + 2, out);
            out += ++i < value.size() ? ",\n" : "\n";
        }
        out += std::string(static_cast<size_t>(indent), ' ') + "}";
    } else if (value.is_array()) {
        const bool flat = std::none_of(value.begin(), value.end(), [](const Json& e) { return e.is_structured(); });
        if (value.empty() || flat) {
            out += "[";
            for (size_t i = 0; i < value.size(); ++i) {
                if (i > 0)
                    out += ", ";
                writeScalar(value[i], indexPath(path, i), out);
            }
            out += "]";
            return;
        }
        out += "[\n";
        for (size_t i = 0; i < value.size(); ++i) {
            out += inner;
            writeValue(value[i], indexPath(path, i), indent + 2, out);
            out += i + 1 < value.size() ? ",\n" : "\n";
        }
        out += std::string(static_cast<size_t>(indent), ' ') + "]";
    } else {
        writeScalar(value, path, out);
    }
}

} // namespace

std::string writeJson(const Json& root)
{
    std::string out;
    writeValue(root, "$", 0, out);
    out += '\n';
    return out;
}

} // namespace netdraft::engine
