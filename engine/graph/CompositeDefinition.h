#pragma once
// A reusable (composite) block: a named sub-graph with its own input and output ports. Instances are
// blocks whose type is the definition's name; they share the definition, so editing it changes them all.

#include "engine/graph/Block.h"

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

/// Name (an identifier that is not a layer type), inner blocks and connections, and ports.
/// The inner graph holds no definitions of its own: nested instances refer to the project's definitions.
struct CompositeDefinition {
    std::string name;
    std::string description;
    std::vector<Block> blocks;
    std::vector<Connection> connections;
    std::vector<CompositeInput> inputs;
    std::vector<CompositeOutput> outputs;

    const CompositeInput* findInput(const std::string& port) const;
    const CompositeOutput* findOutput(const std::string& port) const;
    std::vector<std::string> inputNames() const;
    std::vector<std::string> outputNames() const;
    /// The inner blocks and connections as a graph of their own (no definitions).
    Graph body() const;
    /// Replaces the inner blocks and connections by those of `graph`.
    void setBody(const Graph& graph);

    bool operator==(const CompositeDefinition& other) const
    {
        return name == other.name && description == other.description && blocks == other.blocks
            && connections == other.connections && inputs == other.inputs && outputs == other.outputs;
    }
};

} // namespace netdraft::engine
