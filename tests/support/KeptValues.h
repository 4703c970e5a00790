#pragma once
// For golden files of older format versions: saving what was loaded must keep every value the file
// held (settings added since may be written out with their defaults, and the version goes up).

#include <nlohmann/json.hpp>

#include <string>

namespace netdraft::tests {

/// "" when every value of the JSON text `original` (but its "version") is also in `written`;
/// otherwise the first place where it is not ("$.dataset.kind: \"shapes\" became \"csv\"").
inline std::string valuesNotKept(const std::string& original, const std::string& written)
{
    using Json = nlohmann::ordered_json;
    struct Walk {
        static std::string within(const Json& part, const Json& whole, const std::string& where)
        {
            if (!part.is_object())
                return part == whole ? "" : where + ": " + part.dump() + " became " + whole.dump();
            if (!whole.is_object())
                return where + ": an object became " + whole.dump();
            for (const auto& [key, value] : part.items()) {
                if (where == "$" && key == "version")
                    continue;
                if (!whole.contains(key))
                    return where + "." + key + " is gone";
                if (std::string problem = within(value, whole[key], where + "." + key); !problem.empty())
                    return problem;
            }
            return "";
        }
    };
    return Walk::within(Json::parse(original), Json::parse(written), "$");
}

} // namespace netdraft::tests
