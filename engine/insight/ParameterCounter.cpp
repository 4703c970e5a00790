#include "engine/insight/ParameterCounter.h"

#include "engine/layers/BuiltBlock.h"

namespace netdraft::engine {
namespace {

/// What a block's module depends on: its type, parameters and shapes (never its id).
std::string keyOf(const NetworkStep& step)
{
    std::string key = step.block->type;
    for (const auto& [name, value] : step.info->params) // checked, inferred values filled in
        key += "|" + name + "=" + formatParamValue(value);
    for (const Shape& input : step.info->inputs)
        key += "|<" + input.toString();
    key += "|>" + step.info->output->toString();
    return key;
}

} // namespace

std::map<std::string, int64_t> ParameterCounter::countsOf(const CompiledNetwork& network)
{
    torch::NoGradGuard noAutograd;
    std::map<std::string, int64_t> counts;
    for (const NetworkStep& step : network.steps()) {
        const std::string key = keyOf(step);
        auto found = counted_.find(key);
        if (found == counted_.end()) {
            const BuiltBlock built = step.type->build(step.buildContext());
            ++blocksBuilt_;
            int64_t count = 0;
            if (built.module)
                for (const torch::Tensor& parameter : built.module->parameters())
                    count += parameter.numel();
            found = counted_.emplace(key, count).first;
        }
        counts[step.id()] = found->second;
    }
    return counts;
}

} // namespace netdraft::engine
