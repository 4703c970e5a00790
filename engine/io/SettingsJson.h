#pragma once
// Internal to engine/io: one generic reader and writer for every settings struct described by
// SettingField (DatasetSpec, TrainingSettings, ...), so a new field needs no code here.

#include "engine/core/Problem.h"
#include "engine/io/ParamJson.h"
#include "engine/project/SettingField.h"

#include <algorithm>
#include <string>
#include <vector>

namespace netdraft::engine {

/// Every field in declaration order.
template <typename Settings> Json settingsToJson(const Settings& settings)
{
    Json object = Json::object();
    for (const SettingField<Settings>& field : Settings::fields())
        object[field.spec.name] = paramToJson(field.get(settings));
    return object;
}

/// Fields missing from `json` keep their defaults; unknown keys and invalid values are problems at
/// their path ("$.training.epochs: must be an integer, got \"ten\"").
template <typename Settings>
Settings settingsFromJson(const Json& json, const std::string& path, std::vector<Problem>& problems)
{
    Settings settings;
    if (!json.is_object()) {
        problems.push_back({ path, "must be an object, got " + describeJson(json) });
        return settings;
    }
    const auto& fields = Settings::fields();
    for (const auto& [key, value] : json.items()) {
        const std::string& name = key; // C++17: a lambda cannot capture a structured binding (clang refuses)
        auto field = std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.spec.name == name; });
        if (field == fields.end()) {
            problems.push_back({ path, "unknown setting \"" + key + "\"" });
            continue;
        }
        ParamValue parsed;
        if (auto problem = paramFromJson(value, field->spec, parsed))
            problems.push_back({ childPath(path, key), *problem });
        else
            field->set(settings, parsed);
    }
    return settings;
}

} // namespace netdraft::engine
