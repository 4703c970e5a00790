#include "engine/core/ParamValue.h"

#include <cstdio>

namespace netdraft::engine {

namespace {
std::string formatReal(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}
} // namespace

std::string formatParamValue(const ParamValue& value)
{
    struct Visitor {
        std::string operator()(const Auto&) const { return "auto"; }
        std::string operator()(bool v) const { return v ? "true" : "false"; }
        std::string operator()(int64_t v) const { return std::to_string(v); }
        std::string operator()(double v) const { return formatReal(v); }
        std::string operator()(const std::string& v) const { return v; }
        std::string operator()(const IntList& v) const
        {
            std::string text;
            for (size_t i = 0; i < v.size(); ++i)
                text += (i ? "\u00d7" : "") + std::to_string(v[i]);
            return text.empty() ? "()" : text;
        }
        std::string operator()(const RealList& v) const
        {
            std::string text;
            for (size_t i = 0; i < v.size(); ++i)
                text += (i ? ", " : "") + formatReal(v[i]);
            return "(" + text + ")";
        }
    };
    return std::visit(Visitor{}, value);
}

} // namespace netdraft::engine
