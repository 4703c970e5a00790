#include "engine/layers/ParamCheck.h"

namespace netdraft::engine {

ParamMap checkParams(const ParamMap& params, const LayerDescription& description, std::vector<std::string>& errors)
{
    ParamMap result = description.defaultParams();
    for (const auto& [name, value] : params) {
        const ParamSpec* spec = description.findParam(name);
        if (!spec) {
            errors.push_back("unknown parameter '" + name + "' for " + description.type);
            continue;
        }
        ParamValue normalized = value;
        if (auto problem = spec->normalize(normalized))
            errors.push_back(name + " " + *problem);
        else
            result[name] = std::move(normalized);
    }
    return result;
}

} // namespace netdraft::engine
