#include "engine/layers/LayerRegistry.h"

#include "engine/core/Error.h"

#include <algorithm>

namespace netdraft::engine {

LayerRegistry& LayerRegistry::instance()
{
    static LayerRegistry registry;
    return registry;
}

void LayerRegistry::add(std::unique_ptr<LayerType> type)
{
    ND_CHECK(type, "null layer type");
    ND_CHECK(!find(type->type()), "layer type '", type->type(), "' is registered twice");
    types_.push_back(std::move(type));
}

const LayerType* LayerRegistry::find(std::string_view type) const
{
    for (const auto& entry : types_)
        if (entry->type() == type)
            return entry.get();
    return nullptr;
}

std::vector<const LayerType*> LayerRegistry::all() const
{
    std::vector<const LayerType*> result;
    for (const auto& entry : types_)
        result.push_back(entry.get());
    std::sort(result.begin(), result.end(), [](const LayerType* a, const LayerType* b) {
        const auto& da = a->description();
        const auto& db = b->description();
        return da.category != db.category ? da.category < db.category : da.type < db.type;
    });
    return result;
}

} // namespace netdraft::engine
