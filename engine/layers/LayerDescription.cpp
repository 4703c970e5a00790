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
    if (!variadicInputs)
        return inputs;
    int64_t count = 2;
    auto it = values.find("num_inputs");
    if (it != values.end() && std::holds_alternative<int64_t>(it->second))
        count = std::clamp<int64_t>(std::get<int64_t>(it->second), 1, 64);
    std::vector<std::string> ports;
    for (int64_t i = 1; i <= count; ++i)
        ports.push_back("in" + std::to_string(i));
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
