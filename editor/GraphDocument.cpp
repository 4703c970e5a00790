#include "editor/GraphDocument.h"

#include "editor/commands/AddBlocks.h"
#include "engine/core/Error.h"
#include "engine/layers/LayerRegistry.h"

#include <QDebug>

#include <algorithm>
#include <cctype>

namespace netdraft::editor {

using engine::Block;
using engine::Connection;
using engine::Graph;

GraphDocument::GraphDocument(QObject* parent)
    : GraphDocument(engine::Project {}, parent)
{
}

GraphDocument::GraphDocument(engine::Project project, QObject* parent)
    : QObject(parent)
    , project_(std::move(project))
{
    inference_ = engine::inferShapes(project_.graph);
}

void GraphDocument::resetProject(engine::Project project)
{
    undoStack_.clear();
    project_ = std::move(project);
    inference_ = engine::inferShapes(project_.graph);
    Q_EMIT projectReset();
    Q_EMIT inferenceUpdated();
}

Block GraphDocument::makeBlock(const QString& type, QPointF position) const
{
    const engine::LayerType* layer = engine::LayerRegistry::instance().find(toStdString(type));
    ND_CHECK(layer, "cannot add a block: unknown layer type '", toStdString(type), "'");
    std::string prefix = layer->type();
    std::transform(prefix.begin(), prefix.end(), prefix.begin(),
        [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    Block block;
    block.id = graph().uniqueId(prefix);
    block.type = layer->type();
    block.params = layer->description().defaultParams();
    block.position = { position.x(), position.y() };
    return block;
}

QString GraphDocument::addBlock(const QString& type, QPointF position)
{
    if (!engine::LayerRegistry::instance().find(toStdString(type)))
        return {};
    Block block = makeBlock(type, position);
    push(new commands::AddBlocks(*this, { block }));
    return toQString(block.id);
}

namespace {

/// The graph with `block` at `index` (blocks) or `connection` at `index` (connections): Graph only
/// appends, so exact restoration rebuilds it (graphs are small; this costs microseconds).
Graph rebuilt(const Graph& graph, const Block* block, const Connection* connection, size_t index)
{
    Graph result;
    const auto& blocks = graph.blocks();
    for (size_t i = 0; i <= blocks.size(); ++i) {
        if (block && i == std::min(index, blocks.size()))
            result.addBlock(*block);
        if (i < blocks.size())
            result.addBlock(blocks[i]);
    }
    const auto& connections = graph.connections();
    for (size_t i = 0; i <= connections.size(); ++i) {
        if (connection && i == std::min(index, connections.size()))
            result.connect(*connection);
        if (i < connections.size())
            result.connect(connections[i]);
    }
    return result;
}

} // namespace

void GraphDocument::insertBlock(const Block& block, size_t index)
{
    if (index >= graph().blocks().size())
        project_.graph.addBlock(block);
    else
        project_.graph = rebuilt(project_.graph, &block, nullptr, index);
    Q_EMIT blockAdded(toQString(block.id));
}

Block GraphDocument::removeBlock(const std::string& id)
{
    Block removed = graph().block(id);
    for (const Connection& connection : graph().connections())
        ND_CHECK(connection.from.block != id && connection.to.block != id, "block ", id, " still has connection ",
            engine::describeConnection(connection), " (remove it first)");
    project_.graph.removeBlock(id);
    Q_EMIT blockRemoved(toQString(id));
    return removed;
}

void GraphDocument::insertConnection(const Connection& connection, size_t index)
{
    if (index >= graph().connections().size())
        project_.graph.connect(connection);
    else
        project_.graph = rebuilt(project_.graph, nullptr, &connection, index);
    Q_EMIT connectionAdded(connection);
}

void GraphDocument::removeConnection(const Connection& connection)
{
    ND_CHECK(project_.graph.disconnect(connection), "no connection ", engine::describeConnection(connection));
    Q_EMIT connectionRemoved(connection);
}

void GraphDocument::setPosition(const std::string& id, engine::Point position)
{
    project_.graph.block(id).position = position;
    Q_EMIT blockMoved(toQString(id));
}

void GraphDocument::setParameter(
    const std::string& id, const std::string& name, const std::optional<engine::ParamValue>& value)
{
    Block& block = project_.graph.block(id);
    if (value)
        block.params[name] = *value;
    else
        block.params.erase(name);
    Q_EMIT blockChanged(toQString(id));
}

void GraphDocument::setDisplayName(const std::string& id, const std::string& name)
{
    project_.graph.block(id).name = name;
    Q_EMIT blockChanged(toQString(id));
}

void GraphDocument::updateInference()
{
    try {
        inference_ = engine::inferShapes(project_.graph);
    } catch (const engine::Error& error) {
        // Inference reports problems instead of throwing; this guards against a layer's bug.
        qWarning() << "shape inference failed:" << error.what();
        inference_ = {};
    }
    Q_EMIT inferenceUpdated();
}

} // namespace netdraft::editor
