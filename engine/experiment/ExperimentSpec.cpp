#include "engine/experiment/ExperimentSpec.h"

#include "engine/core/Error.h"
#include "engine/layers/LayerRegistry.h"
#include "engine/project/SettingField.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <limits>
#include <optional>
#include <set>

namespace netdraft::engine {

namespace {

constexpr const char* kKeyForms = "training.<setting>, dataset.<setting> or <block id>.<parameter>";

std::string specTrim(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

std::string commaList(const std::vector<std::string>& names)
{
    std::string text;
    for (size_t i = 0; i < names.size(); ++i)
        text += (i ? ", " : "") + names[i];
    return text;
}

/// Splits at `separator` outside brackets: "[1,2],[3,4]" gives "[1,2]" and "[3,4]".
std::vector<std::string> splitOutsideBrackets(const std::string& text, char separator)
{
    std::vector<std::string> parts(1);
    int depth = 0;
    for (char c : text) {
        if (c == '[')
            ++depth;
        else if (c == ']')
            depth = std::max(0, depth - 1);
        if (c == separator && depth == 0)
            parts.emplace_back();
        else
            parts.back() += c;
    }
    for (auto& part : parts)
        part = specTrim(part);
    return parts;
}

bool specInteger(const std::string& text, int64_t& value)
{
    if (text.empty())
        return false;
    errno = 0;
    char* end = nullptr;
    const long long parsed = std::strtoll(text.c_str(), &end, 10);
    if (errno != 0 || end != text.c_str() + text.size())
        return false;
    value = parsed;
    return true;
}

bool specReal(const std::string& text, double& value)
{
    if (text.empty())
        return false;
    errno = 0;
    char* end = nullptr;
    value = std::strtod(text.c_str(), &end);
    return errno == 0 && end == text.c_str() + text.size();
}

/// "[1,2,3]" or "1": the elements' texts; nullopt when brackets do not match.
std::optional<std::vector<std::string>> listElements(const std::string& text)
{
    if (text.empty() || text.front() != '[')
        return std::vector<std::string>{ text };
    if (text.back() != ']')
        return std::nullopt;
    const std::string inside = specTrim(text.substr(1, text.size() - 2));
    if (inside.empty())
        return std::vector<std::string>{};
    return splitOutsideBrackets(inside, ',');
}

/// The text as the kind of value `spec` wants, before range checks; nullopt when it is not one.
std::optional<ParamValue> readAs(const ParamSpec& spec, const std::string& text)
{
    if (text == "auto")
        return ParamValue(Auto{});
    int64_t integer = 0;
    double real = 0;
    switch (spec.kind) {
    case ParamKind::Bool:
        if (text == "true" || text == "false")
            return ParamValue(text == "true");
        return std::nullopt;
    case ParamKind::Int:
        return specInteger(text, integer) ? std::optional<ParamValue>(integer) : std::nullopt;
    case ParamKind::Float:
        return specReal(text, real) ? std::optional<ParamValue>(real) : std::nullopt;
    case ParamKind::Choice:
    case ParamKind::String:
        return ParamValue(text);
    case ParamKind::IntTuple:
    case ParamKind::IntList: {
        if (!text.empty() && text.front() != '[' && !specInteger(text, integer))
            return spec.kind == ParamKind::IntTuple ? std::optional<ParamValue>(text) : std::nullopt;
        const auto elements = listElements(text);
        if (!elements)
            return std::nullopt;
        if (text.front() != '[')
            return ParamValue(integer);
        IntList list;
        for (const auto& element : *elements) {
            if (!specInteger(element, integer))
                return std::nullopt;
            list.push_back(integer);
        }
        return ParamValue(list);
    }
    case ParamKind::RealList: {
        const auto elements = listElements(text);
        if (!elements)
            return std::nullopt;
        RealList list;
        for (const auto& element : *elements) {
            if (!specReal(element, real))
                return std::nullopt;
            list.push_back(real);
        }
        return ParamValue(list);
    }
    }
    return std::nullopt;
}

template <typename Settings>
ParamSpec settingSpec(const std::string& section, const std::string& name, const std::string& key)
{
    try {
        return findSettingField<Settings>(name).spec;
    } catch (const Error&) {
        std::vector<std::string> names;
        for (const auto& field : Settings::fields())
            names.push_back(field.spec.name);
        throw Error("unknown " + section + " setting '" + name + "' in '" + key + "'; expected one of "
            + commaList(names));
    }
}

} // namespace

std::string ExperimentKey::text() const
{
    switch (section) {
    case Section::Training: return "training." + name;
    case Section::Dataset: return "dataset." + name;
    case Section::Block: return blockId + "." + name;
    }
    return name;
}

std::vector<std::string> ExperimentSpec::keyTexts() const
{
    std::vector<std::string> keys;
    for (const auto& axis : axes)
        keys.push_back(axis.key.text());
    for (const auto& trial : listedTrials)
        for (const auto& assignment : trial)
            if (std::find(keys.begin(), keys.end(), assignment.key.text()) == keys.end())
                keys.push_back(assignment.key.text());
    return keys;
}

ExperimentKey resolveExperimentKey(const Project& base, const std::string& key)
{
    const auto dot = key.find('.');
    ND_CHECK(dot != std::string::npos && dot > 0 && dot + 1 < key.size(), "'", key, "': expected ", kKeyForms);
    const std::string owner = key.substr(0, dot);
    ExperimentKey result;
    result.name = key.substr(dot + 1);
    if (owner == "training") {
        result.section = ExperimentKey::Section::Training;
        result.spec = settingSpec<TrainingSettings>("training", result.name, key);
        return result;
    }
    if (owner == "dataset") {
        result.section = ExperimentKey::Section::Dataset;
        result.spec = settingSpec<DatasetSpec>("dataset", result.name, key);
        return result;
    }
    result.section = ExperimentKey::Section::Block;
    result.blockId = owner;
    const Block* block = base.graph.findBlock(owner);
    if (!block) {
        std::vector<std::string> ids;
        for (const auto& each : base.graph.blocks())
            ids.push_back(each.id);
        throw Error("unknown block '" + owner + "' in '" + key + "'; expected " + kKeyForms
            + ", and the project's blocks are " + commaList(ids));
    }
    const LayerType* type = LayerRegistry::instance().find(block->type);
    ND_CHECK(type, "block '", owner, "' in '", key, "' is an instance of the composite '", block->type,
        "', whose parameters cannot be varied");
    const ParamSpec* spec = type->description().findParam(result.name);
    if (!spec) {
        std::vector<std::string> names;
        for (const auto& param : type->description().params)
            names.push_back(param.name);
        throw Error("block '" + owner + "' (" + block->type + ") has no parameter '" + result.name + "' in '" + key
            + "'; " + (names.empty() ? "it has no parameters" : "expected one of " + commaList(names)));
    }
    result.spec = *spec;
    return result;
}

ExperimentValue parseExperimentValue(const ExperimentKey& key, const std::string& text)
{
    ExperimentValue result;
    result.text = specTrim(text);
    ND_CHECK(!result.text.empty(), key.text(), ": empty value; expected ",
        describeKind(key.spec.kind, key.spec.tupleSize));
    const std::optional<ParamValue> read = readAs(key.spec, result.text);
    ND_CHECK(read, key.text(), "=", result.text, ": must be ", describeKind(key.spec.kind, key.spec.tupleSize),
        key.spec.kind == ParamKind::IntList || key.spec.kind == ParamKind::RealList ? " in brackets, such as [1,2]"
                                                                                    : "");
    result.value = *read;
    if (const auto error = key.spec.normalize(result.value))
        throw Error(key.text() + "=" + result.text + ": " + *error);
    return result;
}

ExperimentAxis parseExperimentAxis(const Project& base, const std::string& text)
{
    const auto equals = text.find('=');
    ND_CHECK(equals != std::string::npos, "'", text, "': expected KEY=VALUE,VALUE,… such as "
        "training.learning_rate=0.1,0.01, with KEY one of ", kKeyForms);
    ExperimentAxis axis;
    axis.key = resolveExperimentKey(base, specTrim(text.substr(0, equals)));
    for (const auto& valueText : splitOutsideBrackets(text.substr(equals + 1), ','))
        axis.values.push_back(parseExperimentValue(axis.key, valueText));
    return axis;
}

std::vector<Assignment> parseListedTrial(const Project& base, const std::string& text)
{
    std::vector<Assignment> trial;
    for (const auto& part : splitOutsideBrackets(text, ';')) {
        if (part.empty())
            continue;
        const auto equals = part.find('=');
        ND_CHECK(equals != std::string::npos, "'", part, "': expected KEY=VALUE; KEY=VALUE, such as "
            "training.learning_rate=0.1; fc1.out_features=32");
        Assignment assignment;
        assignment.key = resolveExperimentKey(base, specTrim(part.substr(0, equals)));
        for (const auto& earlier : trial)
            ND_CHECK(!(earlier.key == assignment.key), "'", text, "': ", assignment.key.text(), " is set twice");
        assignment.value = parseExperimentValue(assignment.key, part.substr(equals + 1));
        trial.push_back(std::move(assignment));
    }
    ND_CHECK(!trial.empty(), "'", text, "': a listed trial sets at least one KEY=VALUE");
    return trial;
}

void checkExperimentSpec(const ExperimentSpec& spec)
{
    std::set<std::string> seen;
    for (const auto& axis : spec.axes) {
        ND_CHECK(seen.insert(axis.key.text()).second, axis.key.text(), " is varied twice; list all its values in one ",
            axis.key.text(), "=A,B,…");
        ND_CHECK(!axis.values.empty(), axis.key.text(), ": no values");
    }
    switch (spec.method) {
    case SearchMethod::Grid:
        ND_CHECK(!spec.axes.empty(), "the experiment varies nothing; give at least one KEY=VALUE,VALUE,…");
        break;
    case SearchMethod::Random: {
        ND_CHECK(!spec.axes.empty(), "a random search needs values to draw from; give at least one KEY=VALUE,VALUE,…");
        ND_CHECK(spec.randomTrials >= 1, "a random search needs at least 1 trial, got ", spec.randomTrials);
        int64_t combinations = 1;
        for (const auto& axis : spec.axes)
            combinations = combinations > std::numeric_limits<int64_t>::max() / static_cast<int64_t>(axis.values.size())
                ? std::numeric_limits<int64_t>::max()
                : combinations * static_cast<int64_t>(axis.values.size());
        ND_CHECK(spec.randomTrials <= combinations, "a random search of ", spec.randomTrials,
            " trials draws distinct combinations, but the listed values give only ", combinations,
            "; list more values or run them all as a grid");
        break;
    }
    case SearchMethod::List:
        ND_CHECK(!spec.listedTrials.empty(), "the experiment lists no trials");
        ND_CHECK(spec.axes.empty(), "an experiment is a grid, a random search or a list, not a mix");
        break;
    }
}

ExperimentSpec experimentSpecFromPlan(const Project& base, const ExperimentPlan& plan)
{
    ND_CHECK(plan.trials.empty() || plan.grid.empty(),
        "an experiment lists whole trials or varies a grid, not both");
    ND_CHECK(plan.trials.empty() || plan.randomTrials == 0, "a random search draws from grid values, not from trials");
    ExperimentSpec spec;
    for (const std::string& axis : plan.grid)
        spec.axes.push_back(parseExperimentAxis(base, axis));
    for (const std::string& trial : plan.trials)
        spec.listedTrials.push_back(parseListedTrial(base, trial));
    if (!plan.trials.empty()) {
        spec.method = SearchMethod::List;
    } else if (plan.randomTrials > 0) {
        spec.method = SearchMethod::Random;
        spec.randomTrials = plan.randomTrials;
        spec.seed = static_cast<uint64_t>(plan.seed);
    }
    checkExperimentSpec(spec);
    return spec;
}

} // namespace netdraft::engine
