#pragma once
// Edits of composite definitions that reach beyond one graph, as pure functions on the project's graph
// (the editor wraps them in undoable commands): deleting inner blocks behind a port, renaming and
// deleting a definition, renaming a port, and merging definitions that come with pasted blocks.

#include "engine/graph/Graph.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace netdraft::engine {

/// What removeInnerBlocks did to the definition's ports and to the instances' connections.
struct PortRepair {
    std::vector<std::string> narrowedInputs; ///< input ports that lost some of their inner targets
    std::vector<std::string> removedInputs;  ///< input ports that lost all of them
    std::vector<std::string> removedOutputs; ///< output ports whose inner source was removed
    std::vector<std::string> disconnected;   ///< connections to instances on removed ports ("Stage/res1.in" inside Stage)
    /// Ports of other definitions that pointed at a removed port of an instance, removed in turn.
    std::vector<std::string> cascaded;

    bool empty() const { return narrowedInputs.empty() && removedInputs.empty() && removedOutputs.empty(); }
    /// One sentence for the user: "ConvLayer lost its input port 'in' (disconnected: convlayer1.in)".
    std::string describe(const std::string& composite) const;
};

/// Where composite `name` is used: top-level instance ids ("convlayer1") and instances inside other
/// definitions ("Stage/convlayer1").
std::vector<std::string> compositeUses(const Graph& graph, const std::string& name);

/// The ports of composite `name` of `graph` that point at blocks `ids`. Empty when none do.
PortRepair portRepairFor(const Graph& graph, const std::string& name, const std::vector<std::string>& ids);

/// Removes blocks `ids` (and their connections) from the body of composite `name` and keeps the definition
/// valid: input ports drop the removed targets, a port left without an inner end is removed, and
/// connections to the instances' removed ports (top level and inside other definitions) are removed, and
/// a port of another definition that pointed at such an instance port goes in turn (and so on).
/// Throws Error when there is no such composite or block. `repair`, when given, receives what it did
/// (as portRepairFor would say).
Graph removeInnerBlocks(const Graph& graph, const std::string& name, const std::vector<std::string>& ids,
    PortRepair* repair = nullptr);

/// Renames composite `from` to `to`; every instance (top level and nested) follows. Keeps the order of
/// definitions. Throws Error when `from` is missing or `to` is invalid, a layer type or taken.
Graph renameComposite(const Graph& graph, const std::string& from, const std::string& to);

/// Removes composite `name`. Throws Error naming the instances while it is used (compositeUses).
Graph removeCompositeDefinition(const Graph& graph, const std::string& name);

/// Replaces every instance of composite `name` by its blocks (ungroupBlock) and removes the definition.
/// Throws Error naming the uses inside other definitions, which this does not ungroup.
Graph ungroupAndRemoveComposite(const Graph& graph, const std::string& name);

/// Renames input (`input` true) or output port `from` of composite `name` to `to`; connections to the
/// instances' port follow, as do the ports of other definitions exposing it. Throws Error when the port is missing or `to` is invalid or taken.
Graph renameCompositePort(const Graph& graph, const std::string& name, bool input, const std::string& from,
                          const std::string& to);

/// Adds `incoming` definitions (which may use each other; any order) to `graph`: a name it lacks is added
/// as is, a name it has with identical content is reused, a name it has with other content is added
/// under a fresh name ("ConvLayer2") unless a definition named "ConvLayer…" has that content, and
/// incoming definitions using a renamed one follow. `renamed`
/// receives incoming name → name in the result for every renamed definition. `same` decides identical
/// content (the default compares exactly; parameters read back from text may differ only in form).
Graph mergeComposites(const Graph& graph, const std::vector<CompositeDefinition>& incoming,
                      std::map<std::string, std::string>& renamed,
                      const std::function<bool(const CompositeDefinition&, const CompositeDefinition&)>& same = {});

/// Composite `name` and every composite it uses (nested ones first), as defined in `graph`.
std::vector<CompositeDefinition> compositeClosure(const Graph& graph, const std::vector<std::string>& names);

/// A composite name made from `base` that is neither a definition of `graph` nor a layer type: "base2", "base3", ...
std::string freeCompositeName(const Graph& graph, const std::string& base, int first = 2);

} // namespace netdraft::engine
