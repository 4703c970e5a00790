#pragma once
// Shape inference over the whole graph: every connection gets its shape, every block its output
// shape or all of its errors.

#include "engine/core/Problem.h"
#include "engine/core/Shape.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/graph/Graph.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace netdraft::engine {

/// What inference found for one block.
struct BlockInference {
    std::optional<Shape> output;
    std::vector<Shape> inputs;         ///< in port order, when all inputs were known
    std::vector<std::string> errors;   ///< without the "block id: " prefix
    /// The errors (also in `errors`, last) that leave the output shape known: the block cannot run
    /// (InferenceContext::cannotRun), but the blocks after it are inferred.
    std::vector<std::string> runErrors;
    std::vector<std::string> warnings;
    ParamMap inferred;                 ///< values taken from the input: in_channels, in_features, ...
    ParamMap params;                   ///< checked parameters with inferred values filled in
    /// Composite instances and layers with several outputs (Split): the shape on each output port
    /// (output is the first one's). Empty for blocks with one output.
    std::map<std::string, Shape> portOutputs;

    bool ok() const { return errors.empty() && output.has_value(); }
    bool operator==(const BlockInference& other) const
    {
        return output == other.output && inputs == other.inputs && errors == other.errors
            && runErrors == other.runErrors
            && warnings == other.warnings && inferred == other.inferred && params == other.params
            && portOutputs == other.portOutputs;
    }
};

/// The result for a whole graph.
/// With composite instances, inference runs on the expanded graph (engine/graph/CompositeExpansion.h):
/// `blocks` then holds the expanded inner blocks ("enc1__conv") besides the graph's own blocks, `order`
/// lists expanded ids (what the model builder runs), and each instance gets its port shapes and the
/// errors of its inner blocks ("inside ConvLayer, block conv: ...").
struct InferenceResult {
    std::map<std::string, BlockInference> blocks;
    std::vector<std::string> order;    ///< blocks in topological order (blocks in cycles left out)
    std::vector<std::string> documentOrder; ///< every block id in the graph's order (instances, not their insides)
    std::vector<Problem> graphProblems;///< problems not tied to one block
    std::map<std::string, std::string> names; ///< display names of the graph's named blocks, by id
    std::string inputBlock;            ///< the Input block's id, if there is exactly one
    std::string outputBlock;           ///< the Output block's id, if there is exactly one

    bool hasErrors() const;
    /// Errors other than blocks that cannot run: whether the graph's shapes are all known.
    bool hasShapeErrors() const;
    const BlockInference* find(const std::string& blockId) const;
    /// The shape flowing on a connection, when known.
    std::optional<Shape> shapeOf(const Connection& connection) const;
    /// The shape leaving an output port, when known.
    std::optional<Shape> outputShape(const PortRef& output) const;
    /// How messages name a block: its display name, followed by the id when the two differ
    /// ("features2 (conv2d2)"), so that a reader finds it on the canvas and in the file.
    std::string blockLabel(const std::string& id) const;
    /// Every error and warning, block problems in graph order first, as "block conv3: ..." lines
    /// ("block features2 (conv2d2): ..." for a named block).
    std::vector<Problem> problems() const;
};

/// Runs inference in topological order with a symbolic batch dimension; expands composite instances first.
InferenceResult inferShapes(const Graph& graph);
/// The same for a graph whose instances `expanded` already expanded (expandComposites(graph)), so a
/// caller that needs the expanded graph too expands it once.
InferenceResult inferShapes(const Graph& graph, const ExpandedGraph& expanded);

/// How many whole-graph inferences this process ran (inferShapes calls): tests check that one
/// training run or export infers once.
uint64_t shapeInferenceRuns();

} // namespace netdraft::engine
