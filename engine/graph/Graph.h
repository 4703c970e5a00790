#pragma once
// The network graph document: blocks and connections. It holds the one truth that the editor
// shows and the model builder reads; it checks structure (ids, ports taken) but not layer semantics.

#include "engine/graph/Block.h"
#include "engine/graph/CompositeDefinition.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netdraft::engine {

/// Blocks in insertion order and connections between their ports.
class Graph {
public:
    const std::vector<Block>& blocks() const { return blocks_; }
    const std::vector<Connection>& connections() const { return connections_; }

    const Block* findBlock(std::string_view id) const;
    Block* findBlock(std::string_view id);
    const Block& block(std::string_view id) const; ///< throws Error when missing
    Block& block(std::string_view id);

    /// Adds a block; throws Error when the id is taken or not an identifier.
    Block& addBlock(Block block);
    /// Removes a block and every connection touching it; returns the removed connections.
    std::vector<Connection> removeBlock(std::string_view id);
    /// Renames a block id, rewriting its connections; throws when the new id is taken or invalid.
    void renameBlock(std::string_view oldId, const std::string& newId);

    /// Connects two ports; throws Error when a block is missing or the input port is already taken.
    void connect(const Connection& connection);
    /// Removes the connection; returns whether it existed.
    bool disconnect(const Connection& connection);
    /// The connection feeding an input port, if any.
    std::optional<Connection> connectionInto(const PortRef& input) const;
    std::vector<Connection> connectionsFrom(std::string_view blockId) const;
    std::vector<Connection> connectionsInto(std::string_view blockId) const;

    /// A free id made from `prefix` and the smallest number not in use: "conv" → "conv3".
    std::string uniqueId(std::string_view prefix) const;

    /// Composite block definitions, in the order they were added; instances name them as their type.
    const std::vector<CompositeDefinition>& composites() const { return composites_; }
    const CompositeDefinition* findComposite(std::string_view name) const;
    /// Throws Error unless `name` could name a new definition: an identifier, no layer type, not taken.
    void checkNewCompositeName(const std::string& name) const;
    /// Adds a definition; throws Error when the name is taken (by a definition or a layer type) or invalid.
    void addComposite(CompositeDefinition definition);
    /// Replaces the definition of the same name; throws Error when there is none.
    void replaceComposite(CompositeDefinition definition);
    /// Whether any block is an instance of a composite definition.
    bool hasCompositeInstances() const;

    bool operator==(const Graph& other) const
    {
        return blocks_ == other.blocks_ && connections_ == other.connections_ && composites_ == other.composites_;
    }

private:
    std::vector<Block> blocks_;
    std::vector<Connection> connections_;
    std::vector<CompositeDefinition> composites_;
};

/// Block ids are identifiers ([A-Za-z_][A-Za-z0-9_]*, at most 64 characters): they name parameters
/// in checkpoints and attributes in exported Python code.
bool isValidBlockId(std::string_view id);

} // namespace netdraft::engine
