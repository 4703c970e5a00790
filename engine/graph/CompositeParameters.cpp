#include "engine/graph/CompositeParameters.h"

#include "engine/core/Error.h"
#include "engine/layers/LayerRegistry.h"

#include <algorithm>
#include <limits>

namespace netdraft::engine {

namespace {

/// Deeper than this, a parameter is taken for one of a composite that contains itself.
constexpr int kMaxNesting = 16;

std::optional<ParamSpec> innerSpec(const Graph& project, const Block& block, const std::string& param, int depth);

/// Whether parameter `name` of `definition` is multiplied by a factor or is a factor of another's target.
bool inProduct(const CompositeDefinition& definition, const std::string& name)
{
    for (const CompositeParameter& parameter : definition.parameters)
        for (const ParamTarget& target : parameter.targets)
            if ((parameter.name == name && !target.times.empty())
                || std::find(target.times.begin(), target.times.end(), name) != target.times.end())
                return true;
    return false;
}

std::optional<ParamSpec> parameterSpec(
    const Graph& project, const CompositeDefinition& definition, const std::string& name, int depth)
{
    const CompositeParameter* parameter = definition.findParameter(name);
    if (!parameter || parameter->targets.empty() || depth > kMaxNesting)
        return std::nullopt;
    const ParamTarget& first = parameter->targets.front();
    auto block = std::find_if(definition.blocks.begin(), definition.blocks.end(),
        [&](const Block& inner) { return inner.id == first.block; });
    if (block == definition.blocks.end())
        return std::nullopt;
    std::optional<ParamSpec> spec = innerSpec(project, *block, first.param, depth + 1);
    if (!spec)
        return std::nullopt;
    spec->name = name;
    spec->defaultValue = parameter->defaultValue;
    spec->advanced = false; // chosen to be set per instance: always shown
    if (inProduct(definition, name))
        spec->inferred = false; // a product needs a number: no auto box in the Inspector
    spec->shownOnBlock = true; // and printed on the instance's face
    std::string targets;
    for (const ParamTarget& target : parameter->targets) {
        targets += (targets.empty() ? "" : ", ") + target.block + "." + target.param;
        for (const std::string& factor : target.times)
            targets += " (× " + factor + ")";
    }
    spec->helpText
        = "Sets " + targets + " inside " + definition.name + "." + (spec->helpText.empty() ? "" : " " + spec->helpText);
    return spec;
}

std::optional<ParamSpec> innerSpec(const Graph& project, const Block& block, const std::string& param, int depth)
{
    if (const LayerType* type = LayerRegistry::instance().find(block.type)) {
        if (const ParamSpec* spec = type->description().findParam(param))
            return *spec;
        return std::nullopt;
    }
    if (const CompositeDefinition* nested = project.findComposite(block.type))
        return parameterSpec(project, *nested, param, depth);
    return std::nullopt;
}

} // namespace

std::optional<ParamSpec> compositeParameterSpec(
    const Graph& project, const CompositeDefinition& definition, const std::string& name)
{
    return parameterSpec(project, definition, name, 0);
}

std::vector<ParamSpec> compositeParameterSpecs(const Graph& project, const CompositeDefinition& definition)
{
    std::vector<ParamSpec> specs;
    for (const CompositeParameter& parameter : definition.parameters)
        if (auto spec = compositeParameterSpec(project, definition, parameter.name))
            specs.push_back(std::move(*spec));
    return specs;
}

std::optional<ParamSpec> innerParameterSpec(const Graph& project, const Block& block, const std::string& param)
{
    return innerSpec(project, block, param, 0);
}

ParamValue instanceParameterValue(const CompositeDefinition& definition, const Block& instance, const std::string& name)
{
    if (auto value = instance.params.find(name); value != instance.params.end())
        return value->second;
    const CompositeParameter* parameter = definition.findParameter(name);
    return parameter ? parameter->defaultValue : ParamValue {};
}

ParamValue targetValue(
    const CompositeDefinition& definition, const Block* instance, const ParamTarget& target, const ParamValue& value)
{
    if (target.times.empty() || !std::holds_alternative<int64_t>(value))
        return value;
    int64_t product = std::get<int64_t>(value);
    for (const std::string& factor : target.times) {
        ParamValue factorValue;
        if (isIntegerFactor(factor))
            factorValue = static_cast<int64_t>(std::stoll(factor));
        else if (instance)
            factorValue = instanceParameterValue(definition, *instance, factor);
        else if (const CompositeParameter* parameter = definition.findParameter(factor))
            factorValue = parameter->defaultValue;
        if (!std::holds_alternative<int64_t>(factorValue))
            return factorValue; // not an integer: the inner block's parameter check says what it got
        if (__builtin_mul_overflow(product, std::get<int64_t>(factorValue), &product))
            return std::numeric_limits<int64_t>::max(); // beyond every parameter's maximum
    }
    return product;
}

std::optional<std::string> productProblem(const CompositeDefinition& definition, const Block* instance)
{
    auto valueOf = [&](const std::string& name) {
        if (instance)
            return instanceParameterValue(definition, *instance, name);
        const CompositeParameter* parameter = definition.findParameter(name);
        return parameter ? parameter->defaultValue : ParamValue(false); // no such parameter: the loader says so
    };
    for (const CompositeParameter& parameter : definition.parameters)
        for (const ParamTarget& target : parameter.targets) {
            if (target.times.empty())
                continue;
            std::string factors;
            for (const std::string& factor : target.times)
                factors += (factors.empty() ? "" : " × ") + factor;
            const std::string where
                = " (" + target.block + "." + target.param + " = " + parameter.name + " × " + factors + ")";
            if (isAuto(valueOf(parameter.name)))
                return definition.name + ": " + parameter.name + " is multiplied by " + factors + where
                    + ", so it must be a number, not auto";
            for (const std::string& factor : target.times)
                if (!isIntegerFactor(factor) && isAuto(valueOf(factor)))
                    return definition.name + ": " + parameter.name + " uses " + factor + where
                        + ", which must be a number, not auto";
        }
    return std::nullopt;
}

std::vector<Block> parameterisedBlocks(const CompositeDefinition& definition, const Block* instance)
{
    std::vector<Block> blocks = definition.blocks;
    for (const CompositeParameter& parameter : definition.parameters) {
        const ParamValue value
            = instance ? instanceParameterValue(definition, *instance, parameter.name) : parameter.defaultValue;
        for (const ParamTarget& target : parameter.targets) {
            const ParamValue targetted = targetValue(definition, instance, target, value);
            if (!target.times.empty() && isAuto(targetted))
                continue; // productProblem names the auto; the inner block keeps its own value meanwhile
            for (Block& block : blocks)
                if (block.id == target.block)
                    block.params[target.param] = targetted;
        }
    }
    return blocks;
}

Graph exposeCompositeParameter(const Graph& project, const std::string& composite, const std::string& blockId,
    const std::string& param, const std::string& name)
{
    const CompositeDefinition* found = project.findComposite(composite);
    ND_CHECK(found, "no composite block named '", composite, "'");
    CompositeDefinition definition = *found;
    auto block = std::find_if(
        definition.blocks.begin(), definition.blocks.end(), [&](const Block& inner) { return inner.id == blockId; });
    ND_CHECK(block != definition.blocks.end(), "composite ", composite, " has no block '", blockId, "'");
    const std::optional<ParamSpec> spec = innerParameterSpec(project, *block, param);
    ND_CHECK(spec, "block ", blockId, " (", block->type, ") has no parameter '", param, "'");
    ND_CHECK(isValidBlockId(name), "'", name,
        "' is not a valid parameter name: use a letter or _, then letters, digits or _ (at most 64)");
    if (const CompositeParameter* bound = definition.parameterBinding(blockId, param))
        ND_CHECK(false, blockId, ".", param, " is already exposed as ", composite, "'s parameter '", bound->name, "'");
    auto existing = std::find_if(definition.parameters.begin(), definition.parameters.end(),
        [&](const CompositeParameter& parameter) { return parameter.name == name; });
    if (existing != definition.parameters.end()) {
        const std::optional<ParamSpec> shared = compositeParameterSpec(project, definition, name);
        ND_CHECK(shared && shared->kind == spec->kind && shared->tupleSize == spec->tupleSize, composite,
            "'s parameter '", name, "' is ", shared ? describeKind(shared->kind, shared->tupleSize) : "unresolved",
            ", but ", blockId, ".", param, " is ", describeKind(spec->kind, spec->tupleSize));
        existing->targets.push_back({ blockId, param });
    } else {
        auto stored = block->params.find(param);
        definition.parameters.push_back(
            { name, stored != block->params.end() ? stored->second : spec->defaultValue, { { blockId, param } } });
    }
    Graph result = project;
    result.replaceComposite(std::move(definition));
    return result;
}

Graph removeCompositeParameter(const Graph& project, const std::string& composite, const std::string& name)
{
    const CompositeDefinition* found = project.findComposite(composite);
    ND_CHECK(found, "no composite block named '", composite, "'");
    ND_CHECK(found->findParameter(name), "composite ", composite, " has no parameter '", name, "'");
    CompositeDefinition definition = *found;
    const CompositeParameter removed = *definition.findParameter(name);
    // The inner blocks keep what instances got by default, so that a new instance computes the same.
    for (const ParamTarget& target : removed.targets)
        for (Block& block : definition.blocks)
            if (block.id == target.block)
                block.params[target.param] = removed.defaultValue;
    definition.parameters.erase(std::remove_if(definition.parameters.begin(), definition.parameters.end(),
                                    [&](const CompositeParameter& parameter) { return parameter.name == name; }),
        definition.parameters.end());
    Graph result = project;
    result.replaceComposite(std::move(definition));
    dropStaleCompositeParameters(result);
    return result;
}

void dropStaleCompositeParameters(Graph& project)
{
    auto dropStaleValues = [&](Block& block) {
        const CompositeDefinition* definition = project.findComposite(block.type);
        if (!definition)
            return;
        for (auto it = block.params.begin(); it != block.params.end();)
            it = definition->findParameter(it->first) ? std::next(it) : block.params.erase(it);
    };
    for (CompositeDefinition definition : project.composites()) {
        definition.setBody(definition.body()); // drops targets on missing blocks and parameters without any
        project.replaceComposite(std::move(definition));
    }
    for (CompositeDefinition definition : project.composites()) {
        for (Block& block : definition.blocks)
            dropStaleValues(block);
        project.replaceComposite(std::move(definition));
    }
    std::vector<std::string> ids;
    for (const Block& block : project.blocks())
        ids.push_back(block.id);
    for (const std::string& id : ids)
        dropStaleValues(project.block(id));
}

} // namespace netdraft::engine
