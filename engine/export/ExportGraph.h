#pragma once
// A checked graph laid out for the exporters: blocks in execution order with their layer type,
// inferred shapes, the blocks feeding them and the Python names the generated code uses.

#include "engine/inference/ShapeInference.h"
#include "engine/layers/LayerType.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace netdraft::engine {

/// One block as the exporters see it.
struct ExportBlock {
    const Block* block = nullptr;
    const LayerType* type = nullptr;
    const BlockInference* info = nullptr;
    std::vector<std::string> inputIds; ///< blocks feeding its input ports, in port order
    std::string variable;              ///< Python variable holding its output in generated forward code

    const std::string& id() const { return block->id; }
    /// What the layer's build() and export hooks get for this block.
    BuildContext buildContext() const
    {
        return BuildContext{*block, ParamReader(type->description(), info->params), info->inputs, *info->output};
    }
};

/// The graph in execution order. Keeps pointers into `graph`, which must outlive it. Composite
/// instances are expanded first (ids "enc1__conv"); the expanded graph is kept here.
struct ExportGraph {
    std::shared_ptr<const Graph> expanded; ///< null when the graph had no composite instances
    InferenceResult inference;
    std::vector<ExportBlock> blocks;
    std::string inputBlock;
    std::string outputBlock;

    const ExportBlock& block(const std::string& id) const;
    /// Blocks that compute something: every block but the Input and the Output.
    std::vector<const ExportBlock*> layers() const;
};

/// Infers shapes and orders the blocks; throws Error listing the problems when the graph has errors.
ExportGraph prepareExportGraph(const Graph& graph);

/// Whether `name` is a Python keyword (cannot be written as self.<name> or a variable).
bool isPythonKeyword(const std::string& name);
/// How generated code reads attribute `name` of self: "self.conv1", or getattr(self, "if") for keywords.
std::string selfAttribute(const std::string& name);

} // namespace netdraft::engine
