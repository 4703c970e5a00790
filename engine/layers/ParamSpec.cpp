#include "engine/layers/ParamSpec.h"

#include <algorithm>
#include <cmath>

namespace netdraft::engine {

std::string describeKind(ParamKind kind, int tupleSize)
{
    switch (kind) {
    case ParamKind::Bool: return "true or false";
    case ParamKind::Int: return "an integer";
    case ParamKind::Float: return "a number";
    case ParamKind::Choice: return "one of the listed words";
    case ParamKind::IntTuple: return "an integer or a list of " + std::to_string(tupleSize) + " integers";
    case ParamKind::IntList: return "a list of integers";
    case ParamKind::RealList: return "a list of numbers";
    case ParamKind::String: return "text";
    }
    return "a value";
}

ParamSpec ParamSpec::boolean(std::string name, bool defaultValue)
{
    ParamSpec spec;
    spec.name = std::move(name);
    spec.kind = ParamKind::Bool;
    spec.defaultValue = defaultValue;
    return spec;
}

ParamSpec ParamSpec::integer(std::string name, int64_t defaultValue)
{
    ParamSpec spec;
    spec.name = std::move(name);
    spec.kind = ParamKind::Int;
    spec.defaultValue = defaultValue;
    return spec;
}

ParamSpec ParamSpec::real(std::string name, double defaultValue)
{
    ParamSpec spec;
    spec.name = std::move(name);
    spec.kind = ParamKind::Float;
    spec.defaultValue = defaultValue;
    return spec;
}

ParamSpec ParamSpec::choice(std::string name, std::string defaultValue, std::vector<std::string> choices)
{
    ParamSpec spec;
    spec.name = std::move(name);
    spec.kind = ParamKind::Choice;
    spec.defaultValue = std::move(defaultValue);
    spec.choices = std::move(choices);
    return spec;
}

ParamSpec ParamSpec::tuple(std::string name, int size, int64_t defaultValue)
{
    ParamSpec spec;
    spec.name = std::move(name);
    spec.kind = ParamKind::IntTuple;
    spec.tupleSize = size;
    spec.defaultValue = IntList(static_cast<size_t>(size), defaultValue);
    return spec;
}

ParamSpec ParamSpec::intList(std::string name, IntList defaultValue)
{
    ParamSpec spec;
    spec.name = std::move(name);
    spec.kind = ParamKind::IntList;
    spec.defaultValue = std::move(defaultValue);
    return spec;
}

ParamSpec ParamSpec::realList(std::string name, RealList defaultValue)
{
    ParamSpec spec;
    spec.name = std::move(name);
    spec.kind = ParamKind::RealList;
    spec.defaultValue = std::move(defaultValue);
    return spec;
}

ParamSpec ParamSpec::text(std::string name, std::string defaultValue)
{
    ParamSpec spec;
    spec.name = std::move(name);
    spec.kind = ParamKind::String;
    spec.defaultValue = std::move(defaultValue);
    return spec;
}

ParamSpec ParamSpec::inferredInteger(std::string name)
{
    ParamSpec spec = integer(std::move(name), 0);
    spec.defaultValue = Auto{};
    spec.inferred = true;
    spec.minimum = 1;
    return spec;
}

namespace {

std::string formatNumber(double value)
{
    if (std::floor(value) == value && std::abs(value) < 1e15)
        return std::to_string(static_cast<int64_t>(value));
    return formatParamValue(value);
}

std::optional<std::string> checkRange(const ParamSpec& spec, double value)
{
    if (!std::isfinite(value))
        return "must be a finite number, got " + formatParamValue(value);
    if (spec.minimum && value < *spec.minimum)
        return "must be >= " + formatNumber(*spec.minimum) + ", got " + formatNumber(value);
    if (spec.maximum && value > *spec.maximum)
        return "must be <= " + formatNumber(*spec.maximum) + ", got " + formatNumber(value);
    return std::nullopt;
}

std::string joinChoices(const std::vector<std::string>& choices)
{
    std::string text;
    for (size_t i = 0; i < choices.size(); ++i)
        text += (i ? ", " : "") + ("'" + choices[i] + "'");
    return text;
}

std::string wrongKind(const ParamSpec& spec, const ParamValue& value)
{
    return "must be " + describeKind(spec.kind, spec.tupleSize) + ", got " + formatParamValue(value);
}

} // namespace

std::optional<std::string> ParamSpec::normalize(ParamValue& value) const
{
    if (isAuto(value)) {
        if (inferred)
            return std::nullopt;
        return "cannot be auto: it is not inferred from the input";
    }
    switch (kind) {
    case ParamKind::Bool:
        if (!std::holds_alternative<bool>(value))
            return wrongKind(*this, value);
        return std::nullopt;
    case ParamKind::Int:
        if (!std::holds_alternative<int64_t>(value))
            return wrongKind(*this, value);
        return checkRange(*this, static_cast<double>(std::get<int64_t>(value)));
    case ParamKind::Float:
        if (std::holds_alternative<int64_t>(value))
            value = static_cast<double>(std::get<int64_t>(value));
        if (!std::holds_alternative<double>(value))
            return wrongKind(*this, value);
        return checkRange(*this, std::get<double>(value));
    case ParamKind::Choice: {
        if (!std::holds_alternative<std::string>(value))
            return wrongKind(*this, value);
        const auto& word = std::get<std::string>(value);
        if (std::find(choices.begin(), choices.end(), word) == choices.end())
            return "must be one of " + joinChoices(choices) + ", got '" + word + "'";
        return std::nullopt;
    }
    case ParamKind::IntTuple: {
        if (std::holds_alternative<std::string>(value)) {
            const auto& word = std::get<std::string>(value);
            if (std::find(choices.begin(), choices.end(), word) != choices.end())
                return std::nullopt;
            if (choices.empty())
                return wrongKind(*this, value);
            return "must be " + describeKind(kind, tupleSize) + " or one of " + joinChoices(choices) + ", got '" + word + "'";
        }
        if (std::holds_alternative<int64_t>(value))
            value = IntList(static_cast<size_t>(tupleSize), std::get<int64_t>(value));
        if (!std::holds_alternative<IntList>(value))
            return wrongKind(*this, value);
        const auto& list = std::get<IntList>(value);
        if (static_cast<int>(list.size()) != tupleSize)
            return "must have " + std::to_string(tupleSize) + " values, got " + std::to_string(list.size());
        for (int64_t element : list)
            if (auto error = checkRange(*this, static_cast<double>(element)))
                return error;
        return std::nullopt;
    }
    case ParamKind::IntList: {
        if (std::holds_alternative<int64_t>(value))
            value = IntList{std::get<int64_t>(value)};
        if (!std::holds_alternative<IntList>(value))
            return wrongKind(*this, value);
        for (int64_t element : std::get<IntList>(value))
            if (auto error = checkRange(*this, static_cast<double>(element)))
                return error;
        return std::nullopt;
    }
    case ParamKind::RealList: {
        if (std::holds_alternative<IntList>(value)) {
            const auto& ints = std::get<IntList>(value);
            value = RealList(ints.begin(), ints.end());
        }
        if (!std::holds_alternative<RealList>(value))
            return wrongKind(*this, value);
        for (double element : std::get<RealList>(value))
            if (auto error = checkRange(*this, element))
                return error;
        return std::nullopt;
    }
    case ParamKind::String:
        if (!std::holds_alternative<std::string>(value))
            return wrongKind(*this, value);
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace netdraft::engine
