#pragma once
// A reusable (composite) block: a named sub-graph with its own input and output ports. Instances are
// blocks whose type is the definition's name; they share the definition, so editing it changes them all.

#include "engine/graph/Block.h"

#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

class Graph;

/// An input port of a composite: what it feeds inside (one outside connection may feed several inner inputs).
struct CompositeInput {
    std::string name;
    std::vector<PortRef> targets; ///< inner input ports, at least one
    bool operator==(const CompositeInput& other) const { return name == other.name && targets == other.targets; }
};

/// An output port of a composite: the inner output port it exposes.
struct CompositeOutput {
    std::string name;
    PortRef source;
    bool operator==(const CompositeOutput& other) const { return name == other.name && source == other.source; }
};

/// One inner parameter that a parameter of the composite sets: block "expand", parameter "out_channels".
/// With `times`, an integer target gets the parameter's value multiplied by each factor: another
/// integer parameter of the composite (its name) or a positive integer constant ("6"), e.g.
/// expand.out_channels = expansion × in_channels (MobileNetV2's hidden width). No expressions beyond that.
struct ParamTarget {
    std::string block;
    std::string param;
    std::vector<std::string> times; ///< factors: parameter names or decimal constants; empty: the value itself
    bool operator==(const ParamTarget& other) const
    {
        return block == other.block && param == other.param && times == other.times;
    }
    /// "expand.out_channels", or with factors "expand.out_channels*in_channels" (the file's form).
    std::string text() const;
};

/// "expand.out_channels*in_channels*2" → block, param and factors; empty when it is not of that form
/// (the factors are not checked against the composite here).
std::optional<ParamTarget> parseParamTarget(const std::string& text);
/// Whether a factor of ParamTarget::times is a constant (a positive decimal integer), not a parameter name.
bool isIntegerFactor(const std::string& factor);

/// An inner parameter a composite exposes as its own (ConvLayer(in, out) in PyTorch terms): every
/// instance sets it (or takes the default) and the expansion writes the value into each target.
/// Its kind, range and help are those of the first target's parameter (compositeParameterSpec).
struct CompositeParameter {
    std::string name;               ///< an identifier, unique within the definition
    ParamValue defaultValue;        ///< what an instance that does not set it gets
    std::vector<ParamTarget> targets; ///< at least one; no inner parameter is bound twice
    bool operator==(const CompositeParameter& other) const
    {
        return name == other.name && defaultValue == other.defaultValue && targets == other.targets;
    }
};

/// Name (an identifier that is not a layer type), inner blocks and connections, and ports.
/// The inner graph holds no definitions of its own: nested instances refer to the project's definitions.
struct CompositeDefinition {
    std::string name;
    std::string description;
    std::vector<Block> blocks;
    std::vector<Connection> connections;
    std::vector<CompositeInput> inputs;
    std::vector<CompositeOutput> outputs;
    std::vector<CompositeParameter> parameters; ///< exposed inner parameters, in the order shown

    const CompositeInput* findInput(const std::string& port) const;
    const CompositeOutput* findOutput(const std::string& port) const;
    const CompositeParameter* findParameter(const std::string& name) const;
    /// The exposed parameter that sets inner parameter `param` of block `block`, if any.
    const CompositeParameter* parameterBinding(const std::string& block, const std::string& param) const;
    std::vector<std::string> inputNames() const;
    std::vector<std::string> outputNames() const;
    /// The inner blocks and connections as a graph of their own (no definitions).
    Graph body() const;
    /// Replaces the inner blocks and connections by those of `graph`; parameter targets on blocks that
    /// are gone are dropped, and a parameter left without targets goes.
    void setBody(const Graph& graph);

    bool operator==(const CompositeDefinition& other) const
    {
        return name == other.name && description == other.description && blocks == other.blocks
            && connections == other.connections && inputs == other.inputs && outputs == other.outputs
            && parameters == other.parameters;
    }
};

} // namespace netdraft::engine
