#pragma once
// The interface every layer type implements in its own file, and its self-registration.
// This header is free of LibTorch so that Qt code can read the catalogue cheaply.

#include "engine/core/Shape.h"
#include "engine/layers/InferenceContext.h"
#include "engine/layers/LayerDescription.h"
#include "engine/layers/ParamReader.h"

#include <memory>
#include <vector>

namespace netdraft::engine {

struct BuiltBlock; // engine/model/BuiltBlock.h, LibTorch

/// What a layer type gets when its module is built: parameters with inferred values filled in,
/// and the shapes inference found.
struct BuildContext {
    const Block& block;
    ParamReader params;
    const std::vector<Shape>& inputs;
    const Shape& output;
};

/// A layer type: its description, its shape inference and its LibTorch module.
class LayerType {
public:
    explicit LayerType(LayerDescription description) : description_(std::move(description)) {}
    virtual ~LayerType() = default;
    LayerType(const LayerType&) = delete;
    LayerType& operator=(const LayerType&) = delete;

    const LayerDescription& description() const { return description_; }
    const std::string& type() const { return description_.type; }

    /// Sets the output shape from the input shapes, or records errors. Inputs are given in port order.
    virtual void inferShape(InferenceContext& context) const = 0;
    /// Builds the module and its forward function; only called when inference found no error.
    virtual BuiltBlock build(const BuildContext& context) const = 0;

private:
    LayerDescription description_;
};

} // namespace netdraft::engine
