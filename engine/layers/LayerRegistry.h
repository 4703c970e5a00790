#pragma once
// The catalogue of layer types. Each layer file registers itself; no other file names it.

#include "engine/layers/LayerType.h"

#include <memory>
#include <string_view>
#include <vector>

namespace netdraft::engine {

/// All known layer types, by stable type name.
class LayerRegistry {
public:
    static LayerRegistry& instance();

    /// Adds a type; throws Error when its name is taken.
    void add(std::unique_ptr<LayerType> type);
    const LayerType* find(std::string_view type) const;
    /// Every type, ordered by category then type name.
    std::vector<const LayerType*> all() const;

private:
    std::vector<std::unique_ptr<LayerType>> types_;
};

/// A static instance of this in a layer's file adds the layer to the registry at start-up.
template <typename Type>
struct LayerRegistration {
    LayerRegistration() { LayerRegistry::instance().add(std::make_unique<Type>()); }
};

} // namespace netdraft::engine

/// Registers a layer type class from its own .cpp file.
#define NETDRAFT_REGISTER_LAYER(Type)                                                                \
    static const ::netdraft::engine::LayerRegistration<Type> netdraftLayerRegistration_##Type{}
