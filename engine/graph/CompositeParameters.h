#pragma once
// Parameters of composite blocks: a definition exposes chosen inner parameters as its own, each
// instance sets them, and the expansion writes the instance's values into the inner blocks. Pure
// functions on the project graph (the editor wraps the edits in undoable commands).

#include "engine/graph/Graph.h"
#include "engine/layers/ParamSpec.h"

#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// The description of exposed parameter `name` of `definition`: the first target's parameter (of its
/// layer type, or of the nested composite it is an instance of) renamed, with the definition's default.
/// Empty when there is no such parameter or its target does not resolve.
std::optional<ParamSpec> compositeParameterSpec(
    const Graph& project, const CompositeDefinition& definition, const std::string& name);

/// compositeParameterSpec of every parameter of `definition` that resolves, in the definition's order.
std::vector<ParamSpec> compositeParameterSpecs(const Graph& project, const CompositeDefinition& definition);

/// The description of parameter `param` of inner block `block` (a layer's, or a nested instance's
/// exposed one); empty when there is none.
std::optional<ParamSpec> innerParameterSpec(const Graph& project, const Block& block, const std::string& param);

/// The value an instance gives parameter `name`: its own when it sets it, else the definition's default.
ParamValue instanceParameterValue(
    const CompositeDefinition& definition, const Block& instance, const std::string& name);

/// What `target` of a parameter with `value` gets: the value, times each of the target's factors (other
/// parameters as `instance` sets them, or their defaults when it is null; constants). An integer product
/// that overflows saturates; a factor that is not an integer is returned as it is, for the check to name.
ParamValue targetValue(
    const CompositeDefinition& definition, const Block* instance, const ParamTarget& target, const ParamValue& value);

/// Why the products of `instance`'s parameters (null: the defaults) cannot be computed: a parameter
/// that a product multiplies or uses as a factor is auto ("InvertedResidual: expansion uses in_channels
/// (expand.out_channels = expansion × in_channels), which must be a number, not auto"); empty when they can.
/// compositeParameterSpec offers no auto for such parameters; a file may still hold one.
std::optional<std::string> productProblem(const CompositeDefinition& definition, const Block* instance);

/// The definition's blocks with every target set to the instance's value (`instance` may be null:
/// the defaults). What the expansion and ungrouping put in the instance's place.
std::vector<Block> parameterisedBlocks(const CompositeDefinition& definition, const Block* instance);

/// Exposes parameter `param` of inner block `blockId` of composite `composite` as the composite's
/// parameter `name`. A new name takes the block's current value as its default; an existing name of the
/// same kind gains the block as one more target (one value for several blocks, e.g. the depthwise
/// convolution's out_channels and groups). Throws Error when the composite, block or parameter is
/// missing, the name is not an identifier, the parameter is already exposed, or kinds differ.
Graph exposeCompositeParameter(const Graph& project, const std::string& composite, const std::string& blockId,
    const std::string& param, const std::string& name);

/// Removes exposed parameter `name` of `composite` (its targets keep the default as their value) and
/// the values instances set for it. Throws Error when there is no such parameter.
Graph removeCompositeParameter(const Graph& project, const std::string& composite, const std::string& name);

/// Drops what no longer resolves after inner blocks were removed or moved: targets on missing blocks,
/// parameters left without targets, and instance values (top level and nested) of parameters their
/// definition does not have.
void dropStaleCompositeParameters(Graph& project);

} // namespace netdraft::engine
