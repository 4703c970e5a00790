#include "engine/graph/Graph.h"

#include "engine/core/Error.h"
#include "engine/layers/LayerRegistry.h"

#include <algorithm>
#include <cctype>

namespace netdraft::engine {

std::string describeConnection(const Connection& connection)
{
    return connection.from.block + "." + connection.from.port + " \u2192 " + connection.to.block + "."
        + connection.to.port;
}

bool isValidBlockId(std::string_view id)
{
    if (id.empty() || id.size() > 64)
        return false;
    if (!(std::isalpha(static_cast<unsigned char>(id[0])) || id[0] == '_'))
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
}

const Block* Graph::findBlock(std::string_view id) const
{
    auto it = std::find_if(blocks_.begin(), blocks_.end(), [&](const Block& b) { return b.id == id; });
    return it == blocks_.end() ? nullptr : &*it;
}

Block* Graph::findBlock(std::string_view id)
{
    return const_cast<Block*>(std::as_const(*this).findBlock(id));
}

const Block& Graph::block(std::string_view id) const
{
    const Block* found = findBlock(id);
    ND_CHECK(found, "no block with id '", id, "'");
    return *found;
}

Block& Graph::block(std::string_view id)
{
    return const_cast<Block&>(std::as_const(*this).block(id));
}

Block& Graph::addBlock(Block block)
{
    ND_CHECK(isValidBlockId(block.id), "block id '", block.id,
             "' must be an identifier: a letter or _, then letters, digits or _ (at most 64)");
    ND_CHECK(!findBlock(block.id), "block id '", block.id, "' is already used");
    blocks_.push_back(std::move(block));
    return blocks_.back();
}

std::vector<Connection> Graph::removeBlock(std::string_view id)
{
    std::vector<Connection> removed;
    auto touches = [&](const Connection& c) { return c.from.block == id || c.to.block == id; };
    std::copy_if(connections_.begin(), connections_.end(), std::back_inserter(removed), touches);
    connections_.erase(std::remove_if(connections_.begin(), connections_.end(), touches), connections_.end());
    blocks_.erase(std::remove_if(blocks_.begin(), blocks_.end(), [&](const Block& b) { return b.id == id; }),
                  blocks_.end());
    return removed;
}

void Graph::renameBlock(std::string_view oldId, const std::string& newId)
{
    if (oldId == newId)
        return;
    ND_CHECK(isValidBlockId(newId), "block id '", newId,
             "' must be an identifier: a letter or _, then letters, digits or _ (at most 64)");
    ND_CHECK(!findBlock(newId), "block id '", newId, "' is already used");
    Block& target = block(oldId);
    const std::string previous = target.id;
    target.id = newId;
    for (Connection& c : connections_) {
        if (c.from.block == previous)
            c.from.block = newId;
        if (c.to.block == previous)
            c.to.block = newId;
    }
}

void Graph::connect(const Connection& connection)
{
    ND_CHECK(findBlock(connection.from.block), "connection ", describeConnection(connection),
             ": no block '", connection.from.block, "'");
    ND_CHECK(findBlock(connection.to.block), "connection ", describeConnection(connection), ": no block '",
             connection.to.block, "'");
    ND_CHECK(connection.from.block != connection.to.block, "connection ", describeConnection(connection),
             ": a block cannot feed itself");
    ND_CHECK(!connectionInto(connection.to), "connection ", describeConnection(connection), ": input ",
             connection.to.block, ".", connection.to.port, " is already connected");
    connections_.push_back(connection);
}

bool Graph::disconnect(const Connection& connection)
{
    auto it = std::find(connections_.begin(), connections_.end(), connection);
    if (it == connections_.end())
        return false;
    connections_.erase(it);
    return true;
}

std::optional<Connection> Graph::connectionInto(const PortRef& input) const
{
    for (const Connection& c : connections_)
        if (c.to == input)
            return c;
    return std::nullopt;
}

std::vector<Connection> Graph::connectionsFrom(std::string_view blockId) const
{
    std::vector<Connection> result;
    for (const Connection& c : connections_)
        if (c.from.block == blockId)
            result.push_back(c);
    return result;
}

std::vector<Connection> Graph::connectionsInto(std::string_view blockId) const
{
    std::vector<Connection> result;
    for (const Connection& c : connections_)
        if (c.to.block == blockId)
            result.push_back(c);
    return result;
}

std::string Graph::uniqueId(std::string_view prefix) const
{
    std::string base(prefix);
    if (!isValidBlockId(base))
        base = "block";
    for (int n = 1;; ++n) {
        std::string candidate = base + std::to_string(n);
        if (!findBlock(candidate))
            return candidate;
    }
}

const CompositeDefinition* Graph::findComposite(std::string_view name) const
{
    for (const CompositeDefinition& definition : composites_)
        if (definition.name == name)
            return &definition;
    return nullptr;
}

void Graph::checkNewCompositeName(const std::string& name) const
{
    ND_CHECK(isValidBlockId(name), "composite name '", name,
             "' must be an identifier: a letter or _, then letters, digits or _ (at most 64)");
    ND_CHECK(!LayerRegistry::instance().find(name), "composite name '", name, "' is a layer type");
    ND_CHECK(!findComposite(name), "a composite block named '", name, "' already exists");
}

void Graph::addComposite(CompositeDefinition definition)
{
    checkNewCompositeName(definition.name);
    composites_.push_back(std::move(definition));
}

void Graph::replaceComposite(CompositeDefinition definition)
{
    for (CompositeDefinition& existing : composites_)
        if (existing.name == definition.name) {
            existing = std::move(definition);
            return;
        }
    ND_CHECK(false, "no composite block named '", definition.name, "'");
}

bool Graph::hasCompositeInstances() const
{
    if (composites_.empty())
        return false;
    return std::any_of(blocks_.begin(), blocks_.end(), [&](const Block& b) { return findComposite(b.type); });
}

} // namespace netdraft::engine
