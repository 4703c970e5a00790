#include "engine/train/RunBlockNames.h"

#include "engine/network/CompiledNetwork.h"

namespace netdraft::engine {

RunBlockNames RunBlockNames::of(const CompiledNetwork& network)
{
    RunBlockNames result;
    for (const NetworkStep& step : network.steps()) {
        RunBlockName name;
        name.label = network.inference().blockLabel(step.id());
        name.type = step.block->type;
        auto origin = network.origins().find(step.id());
        name.canvasId = origin == network.origins().end() ? step.id() : origin->second.instance;
        result.names_[step.id()] = std::move(name);
    }
    return result;
}

RunBlockName RunBlockNames::find(const std::string& blockId) const
{
    auto found = names_.find(blockId);
    return found == names_.end() ? RunBlockName { blockId, std::string(), blockId } : found->second;
}

} // namespace netdraft::engine
