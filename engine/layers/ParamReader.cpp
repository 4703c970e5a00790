#include "engine/layers/ParamReader.h"

#include "engine/core/Error.h"

namespace netdraft::engine {

const ParamValue& ParamReader::value(const std::string& name) const
{
    const ParamSpec* spec = description_.findParam(name);
    ND_CHECK(spec, description_.type, " has no parameter '", name, "'");
    auto it = values_.find(name);
    return it == values_.end() ? spec->defaultValue : it->second;
}

bool ParamReader::isAuto(const std::string& name) const
{
    return netdraft::engine::isAuto(value(name));
}

bool ParamReader::boolean(const std::string& name) const
{
    const ParamValue& v = value(name);
    ND_CHECK(std::holds_alternative<bool>(v), description_.type, ".", name, " is not a flag");
    return std::get<bool>(v);
}

int64_t ParamReader::integer(const std::string& name) const
{
    const ParamValue& v = value(name);
    ND_CHECK(std::holds_alternative<int64_t>(v), description_.type, ".", name, " is not an integer (",
             formatParamValue(v), ")");
    return std::get<int64_t>(v);
}

double ParamReader::real(const std::string& name) const
{
    const ParamValue& v = value(name);
    if (std::holds_alternative<int64_t>(v))
        return static_cast<double>(std::get<int64_t>(v));
    ND_CHECK(std::holds_alternative<double>(v), description_.type, ".", name, " is not a number");
    return std::get<double>(v);
}

const std::string& ParamReader::word(const std::string& name) const
{
    const ParamValue& v = value(name);
    ND_CHECK(std::holds_alternative<std::string>(v), description_.type, ".", name, " is not a word");
    return std::get<std::string>(v);
}

IntList ParamReader::list(const std::string& name) const
{
    const ParamValue& v = value(name);
    if (std::holds_alternative<int64_t>(v)) {
        const ParamSpec* spec = description_.findParam(name);
        size_t size = spec->kind == ParamKind::IntTuple ? static_cast<size_t>(spec->tupleSize) : 1;
        return IntList(size, std::get<int64_t>(v));
    }
    ND_CHECK(std::holds_alternative<IntList>(v), description_.type, ".", name, " is not a list of integers (",
             formatParamValue(v), ")");
    return std::get<IntList>(v);
}

std::string ParamReader::wordOrEmpty(const std::string& name) const
{
    const ParamValue& v = value(name);
    return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : std::string();
}

} // namespace netdraft::engine
