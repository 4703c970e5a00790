#include "engine/export/ExportGraph.h"

#include "engine/core/Error.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/layers/LayerRegistry.h"

#include <set>

namespace netdraft::engine {

namespace {

/// Names the generated forward code uses itself; a block id equal to one gets a trailing underscore.
const std::set<std::string>& reservedNames()
{
    static const std::set<std::string> names{"self", "x", "torch", "nn", "F", "Tensor", "List", "Optional", "math"};
    return names;
}

} // namespace

bool isPythonKeyword(const std::string& name)
{
    static const std::set<std::string> keywords{
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
        "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield"};
    return keywords.count(name) > 0;
}

std::string selfAttribute(const std::string& name)
{
    return isPythonKeyword(name) ? "getattr(self, \"" + name + "\")" : "self." + name;
}

const ExportBlock& ExportGraph::block(const std::string& id) const
{
    for (const ExportBlock& candidate : blocks)
        if (candidate.id() == id)
            return candidate;
    throw Error(detail::concat("no block '", id, "' in the exported graph"));
}

std::vector<const ExportBlock*> ExportGraph::layers() const
{
    std::vector<const ExportBlock*> result;
    for (const ExportBlock& candidate : blocks)
        if (candidate.id() != inputBlock && candidate.id() != outputBlock)
            result.push_back(&candidate);
    return result;
}

ExportGraph prepareExportGraph(const Graph& original)
{
    ExportGraph result;
    result.inference = inferShapes(original);
    if (original.hasCompositeInstances())
        result.expanded = std::make_shared<const Graph>(expandComposites(original).graph);
    const Graph& graph = result.expanded ? *result.expanded : original;
    const InferenceResult& inference = result.inference;
    if (inference.hasErrors()) {
        std::string text;
        for (const Problem& problem : inference.problems())
            if (problem.isError())
                text += "\n  " + problem.toString();
        ND_CHECK(false, "the graph has errors and cannot be exported:", text);
    }
    ND_CHECK(!inference.inputBlock.empty() && !inference.outputBlock.empty(),
             "the graph needs exactly one Input and one Output block to be exported");
    result.inputBlock = inference.inputBlock;
    result.outputBlock = inference.outputBlock;

    std::set<std::string> taken(reservedNames());
    for (const Block& block : graph.blocks())
        taken.insert(block.id);
    for (const std::string& id : inference.order) {
        ExportBlock exported;
        exported.block = &graph.block(id);
        exported.type = LayerRegistry::instance().find(exported.block->type);
        ND_CHECK(exported.type, "block ", id, ": unknown layer type '", exported.block->type, "'");
        exported.info = &inference.blocks.at(id);
        ND_CHECK(exported.info->ok(), "block ", id, ": has no inferred output shape");
        for (const std::string& port : exported.type->description().inputPorts(exported.info->params)) {
            auto connection = graph.connectionInto({id, port});
            ND_CHECK(connection, "block ", id, ": input '", port, "' is not connected");
            exported.inputIds.push_back(connection->from.block);
        }
        exported.variable = id;
        if (isPythonKeyword(id) || reservedNames().count(id)) {
            do
                exported.variable += "_";
            while (taken.count(exported.variable));
            taken.insert(exported.variable);
        }
        result.blocks.push_back(std::move(exported));
    }
    return result;
}

} // namespace netdraft::engine
