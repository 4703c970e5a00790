#pragma once
// What every model importer (TorchScript today, ONNX next) produces, and the one place that turns it
// into a Netdraft project: ops already mapped to layer types with their parameters and weights, module
// paths ("layer1.0.conv1") → block ids and names, repeated modules → composite blocks, an automatic
// layout, and the weights keyed by the blocks' (expanded) ids. Format-neutral: no importer names here.

#include "engine/core/ParamValue.h"
#include "engine/io/StateDict.h"
#include "engine/project/Project.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace netdraft::engine {

class CompiledNetwork;

/// One operation of the imported network, mapped to a Netdraft layer type.
struct ImportedOp {
    std::string layerType; ///< a registered layer type: "Conv2d", "ReLU", "Add"
    ParamMap params; ///< set parameters; the others keep their defaults
    std::string modulePath; ///< the module it came from, '.'-separated ("layer1.0.conv1"); may be empty
    std::vector<int> inputs; ///< ops feeding its input ports, in port order; -1 is the network input
    /// Its tensors under the names the layer's LibTorch module gives them ("weight", "running_mean").
    NamedTensors weights;
};

/// An operator of the imported file that no block computes, as every importer describes it.
struct UnsupportedOperator {
    std::string format; ///< "ONNX", "TorchScript": named in the message that stops training
    std::string opType; ///< "NonMaxSuppression"
    std::string nodeName; ///< the node's name in the file
    std::string attributes; ///< its attributes and constant inputs, as text
    std::string inputShapes; ///< its inputs' shapes as text ("N×3×32×32, 100")
    std::vector<int64_t> outputShape; ///< one sample of its (first) output, without the batch dimension
};

/// The Opaque block that keeps `unsupported` in the project (ImportRequest::keepUnsupported), reading
/// the ops `inputs` (-1: the network input). Shared by every importer, so opaque blocks look the same
/// whatever file they come from.
ImportedOp opaqueOp(const UnsupportedOperator& unsupported, std::vector<int> inputs, std::string modulePath);

/// "note: …" line of an import that kept `count` operators as Opaque blocks; `kinds` lists op type → count.
std::string opaqueNote(const std::map<std::string, int>& kinds);

/// A whole imported network: one input, ops in execution order, one output.
struct ImportedNetwork {
    std::string name; ///< the project name ("resnet18")
    std::vector<int64_t> inputShape; ///< one sample, without the batch dimension
    std::string inputDtype = "float32";
    std::vector<ImportedOp> ops;
    int outputOp = -1; ///< the op whose result is the network output (-1: the input)
    /// Module path → its class ("layer1.0" → "BasicBlock"), for grouping; containers are listed too.
    std::map<std::string, std::string> moduleTypes;
};

/// How the graph is made.
struct ImportGraphOptions {
    /// Group repeated modules (e.g. ResNet's BasicBlock) into composite blocks.
    bool groupModules = true;
};

/// The project and the weights of its blocks.
struct ImportedGraph {
    Project project;
    /// The whole state of the built model (parameters and buffers), keyed like GraphModel's state:
    /// "<expanded block id>.<name>" ("layer1_0__conv1.weight").
    NamedTensors weights;
    /// Blocks per layer type (composite instances counted by their inner blocks).
    std::map<std::string, int> blockCounts;
    int compositeInstances = 0;
    int64_t parameterCount = 0;
};

/// Blocks per layer type of `network`, the blocks inside composites counted by their inner blocks.
std::map<std::string, int> blockCountsOf(const CompiledNetwork& network);

/// Builds the project (graph with Input and Output, composites, layout) and checks it: it must compile,
/// and every imported tensor must fit the model built from it (names and shapes); throws Error otherwise.
ImportedGraph buildImportedGraph(const ImportedNetwork& network, const ImportGraphOptions& options = {});

/// Positions every block of `graph` (and of its composite definitions' bodies) left to right by depth.
void layOutGraph(Graph& graph);

/// "layer1.0.conv1" → "layer1_0_conv1": a valid block id (letters, digits, _), `fallback` when empty.
std::string blockIdFromPath(const std::string& path, const std::string& fallback);

} // namespace netdraft::engine
