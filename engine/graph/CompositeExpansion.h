#pragma once
// Expands composite instances into a flat graph of layer blocks, which inference, model building,
// checkpoints and export run on. Inner ids are prefixed with the instance id: block "conv" inside
// instance "enc1" becomes "enc1__conv" (ids name checkpoint parameters and Python attributes, so they
// stay identifiers).

#include "engine/core/Problem.h"
#include "engine/graph/Graph.h"

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace netdraft::engine {

/// Separator between an instance id and an inner id in expanded ids.
inline constexpr const char* kCompositeIdSeparator = "__";

/// Where an expanded block came from.
struct ExpandedOrigin {
    std::string instance;  ///< the top-level instance block
    std::string innerPath; ///< the inner block inside it, nested instances joined by "/": "conv", "res1/conv"
};

/// A graph with every composite instance replaced by its inner blocks.
struct ExpandedGraph {
    Graph graph; ///< no composite instances or definitions
    std::unordered_map<std::string, ExpandedOrigin> origins; ///< expanded id → origin (inner blocks only)
    /// Per top-level instance and output port: the expanded output port it stands for.
    std::map<std::string, std::map<std::string, PortRef>> instanceOutputs;
    /// Per top-level instance and input port: the expanded input ports it feeds.
    std::map<std::string, std::map<std::string, std::vector<PortRef>>> instanceInputs;
    /// Problems of the composite structure (unknown ports, a composite containing itself, id clashes),
    /// placed on the top-level block.
    std::vector<Problem> problems;
};

/// Expands every instance (nested ones too). Never throws for design mistakes: they go to problems.
ExpandedGraph expandComposites(const Graph& graph);

/// The graph itself when it has no instances, else the expanded graph (kept in `storage`).
const Graph& flatGraph(const Graph& graph, Graph& storage);

} // namespace netdraft::engine
