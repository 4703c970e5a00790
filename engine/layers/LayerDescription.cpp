#include "engine/layers/LayerDescription.h"

#include <algorithm>

namespace netdraft::engine {

const ParamSpec* LayerDescription::findParam(const std::string& name) const
{
    auto it = std::find_if(params.begin(), params.end(), [&](const ParamSpec& p) { return p.name == name; });
    return it == params.end() ? nullptr : &*it;
}

std::vector<std::string> LayerDescription::inputPorts(const ParamMap& values) const
{
    if (!variadicInputs) {
        std::vector<std::string> ports = inputs;
        for (const ConditionalInput& conditional : conditionalInputs) {
            // A missing or mistyped value counts as the default (the parameter check reports the latter).
            auto it = values.find(conditional.param);
            const ParamSpec* spec = findParam(conditional.param);
            const ParamValue* value = it != values.end() && std::holds_alternative<bool>(it->second) ? &it->second
                : spec ? &spec->defaultValue
                       : nullptr;
            const bool on = value && std::holds_alternative<bool>(*value) && std::get<bool>(*value);
            if (on == conditional.whenOn)
                ports.push_back(conditional.port);
        }
        return ports;
    }
    int64_t count = 2;
    auto it = values.find("num_inputs");
    if (it != values.end() && std::holds_alternative<int64_t>(it->second))
        count = std::clamp<int64_t>(std::get<int64_t>(it->second), 1, 64);
    std::vector<std::string> ports;
    for (int64_t i = 1; i <= count; ++i)
        ports.push_back("in" + std::to_string(i));
    return ports;
}

std::vector<std::string> LayerDescription::outputPorts(const ParamMap& values) const
{
    if (outputCountParam.empty())
        return outputs;
    const ParamSpec* spec = findParam(outputCountParam);
    auto it = values.find(outputCountParam);
    const ParamValue* value = it != values.end() ? &it->second : spec ? &spec->defaultValue : nullptr;
    int64_t count = 1;
    if (value && std::holds_alternative<int64_t>(*value))
        count = std::get<int64_t>(*value);
    else if (value && std::holds_alternative<IntList>(*value))
        count = static_cast<int64_t>(std::get<IntList>(*value).size());
    count = std::clamp<int64_t>(count, 1, 64);
    std::vector<std::string> ports;
    for (int64_t i = 1; i <= count; ++i)
        ports.push_back("out" + std::to_string(i));
    return ports;
}

ParamMap LayerDescription::defaultParams() const
{
    ParamMap values;
    for (const ParamSpec& spec : params)
        values[spec.name] = spec.defaultValue;
    return values;
}

} // namespace netdraft::engine
