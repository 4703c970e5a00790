#include "engine/io/ParamJson.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace netdraft::engine {

namespace {

constexpr double kTwoToThe63 = 9223372036854775808.0;

bool fitsInt64(const Json& json)
{
    if (json.is_number_integer() && !json.is_number_unsigned())
        return true;
    return json.is_number_unsigned()
        && json.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
}

/// An integral number too large for int64 (nlohmann turns such literals into doubles or uint64).
bool isIntegerOutOfRange(const Json& json)
{
    if (json.is_number_unsigned())
        return !fitsInt64(json);
    if (json.is_number_float()) {
        const double v = json.get<double>();
        return std::isfinite(v) && std::floor(v) == v && (v >= kTwoToThe63 || v <= -kTwoToThe63);
    }
    return false;
}

bool expectsIntegers(ParamKind kind)
{
    return kind == ParamKind::Int || kind == ParamKind::IntTuple || kind == ParamKind::IntList;
}

/// The JSON value as a ParamValue by its JSON type alone; false when no ParamValue can hold it.
bool convertByJsonType(const Json& json, const ParamSpec& spec, ParamValue& value)
{
    if (json.is_boolean()) {
        value = json.get<bool>();
    } else if (fitsInt64(json)) {
        value = json.get<int64_t>();
    } else if (json.is_number()) {
        value = json.get<double>();
    } else if (json.is_string()) {
        const auto& word = json.get_ref<const std::string&>();
        const bool wordsAllowed = spec.kind == ParamKind::String || spec.kind == ParamKind::Choice
            || std::find(spec.choices.begin(), spec.choices.end(), word) != spec.choices.end();
        if (word == "auto" && !wordsAllowed)
            value = Auto {};
        else
            value = word;
    } else if (json.is_array()) {
        const bool allIntegers = std::all_of(json.begin(), json.end(), fitsInt64);
        const bool allNumbers = std::all_of(json.begin(), json.end(), [](const Json& e) { return e.is_number(); });
        if (allIntegers && !(json.empty() && spec.kind == ParamKind::RealList)) {
            IntList list;
            for (const Json& element : json)
                list.push_back(element.get<int64_t>());
            value = std::move(list);
        } else if (allNumbers) {
            RealList list;
            for (const Json& element : json)
                list.push_back(element.get<double>());
            value = std::move(list);
        } else {
            return false;
        }
    } else {
        return false; // null, objects
    }
    return true;
}

/// Whether the converted value is of a type the kind can take; ranges and choices are normalize()'s.
bool fitsKind(const ParamValue& value, const ParamSpec& spec)
{
    if (isAuto(value))
        return true; // normalize() says whether auto is allowed
    switch (spec.kind) {
    case ParamKind::Bool:
        return std::holds_alternative<bool>(value);
    case ParamKind::Int:
        return std::holds_alternative<int64_t>(value);
    case ParamKind::Float:
        return std::holds_alternative<int64_t>(value) || std::holds_alternative<double>(value);
    case ParamKind::Choice:
    case ParamKind::String:
        return std::holds_alternative<std::string>(value);
    case ParamKind::IntTuple:
        return std::holds_alternative<int64_t>(value) || std::holds_alternative<IntList>(value)
            || (std::holds_alternative<std::string>(value) && !spec.choices.empty());
    case ParamKind::IntList:
        return std::holds_alternative<int64_t>(value) || std::holds_alternative<IntList>(value);
    case ParamKind::RealList:
        return std::holds_alternative<IntList>(value) || std::holds_alternative<RealList>(value);
    }
    return false;
}

std::string expected(const ParamSpec& spec)
{
    std::string text = describeKind(spec.kind, spec.tupleSize);
    if (spec.kind == ParamKind::IntTuple && !spec.choices.empty())
        for (const std::string& word : spec.choices)
            text += " or \"" + word + "\"";
    if (spec.inferred)
        text += " or \"auto\"";
    return text;
}

} // namespace

Json paramToJson(const ParamValue& value)
{
    struct Visitor {
        Json operator()(const Auto&) const { return "auto"; }
        Json operator()(bool v) const { return v; }
        Json operator()(int64_t v) const { return v; }
        Json operator()(double v) const { return v; }
        Json operator()(const std::string& v) const { return v; }
        Json operator()(const IntList& v) const { return Json(v); }
        Json operator()(const RealList& v) const { return Json(v); }
    };
    return std::visit(Visitor {}, value);
}

std::optional<std::string> paramFromJson(const Json& json, const ParamSpec& spec, ParamValue& value)
{
    const bool integersWanted = expectsIntegers(spec.kind);
    const bool outOfRange
        = isIntegerOutOfRange(json) || (json.is_array() && std::any_of(json.begin(), json.end(), isIntegerOutOfRange));
    if (integersWanted && outOfRange)
        return "must be " + expected(spec) + " between -9223372036854775808 and 9223372036854775807, got "
            + describeJson(json);
    ParamValue converted;
    if (!convertByJsonType(json, spec, converted) || !fitsKind(converted, spec))
        return "must be " + expected(spec) + ", got " + describeJson(json);
    if (auto problem = spec.normalize(converted))
        return problem;
    value = std::move(converted);
    return std::nullopt;
}

} // namespace netdraft::engine
