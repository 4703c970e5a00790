#include "editor/GraphDocument.h"

#include "editor/commands/AddBlocks.h"
#include "engine/core/Error.h"
#include "engine/graph/CompositeExpansion.h"
#include "engine/graph/CompositeGrouping.h"
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
    , inferenceRunner_(std::make_unique<InferenceRunner>([this](uint64_t generation, engine::InferenceResult result) {
        publishInference(generation, std::move(result));
    }))
{
    updateInferenceQuietly();
}

void GraphDocument::resetProject(engine::Project project)
{
    undoStack_.clear();
    project_ = std::move(project);
    scope_.clear();
    scopeName_.clear();
    scopeGraph_ = {};
    updateInferenceQuietly();
    Q_EMIT scopeChanged(scopeName_);
    Q_EMIT compositesChanged();
    Q_EMIT projectReset();
    Q_EMIT inferenceUpdated();
}

void GraphDocument::openComposite(const QString& name)
{
    ND_CHECK(project_.graph.findComposite(toStdString(name)), "no composite block named '", toStdString(name), "'");
    enterScope(name);
}

void GraphDocument::enterScope(const QString& scope)
{
    if (scope == scopeName_)
        return;
    scopeName_ = scope;
    scope_ = toStdString(scope);
    loadScopeGraph();
    updateInferenceQuietly();
    Q_EMIT scopeChanged(scopeName_);
    Q_EMIT projectReset();
    Q_EMIT inferenceUpdated();
}

Block GraphDocument::makeBlock(const QString& type, QPointF position) const
{
    const engine::LayerType* layer = engine::LayerRegistry::instance().find(toStdString(type));
    const engine::CompositeDefinition* composite = project_.graph.findComposite(toStdString(type));
    ND_CHECK(layer || composite, "cannot add a block: unknown layer type '", toStdString(type), "'");
    std::string prefix = layer ? layer->type() : composite->name;
    std::transform(prefix.begin(), prefix.end(), prefix.begin(),
        [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    Block block;
    block.id = graph().uniqueId(prefix);
    block.type = layer ? layer->type() : composite->name;
    if (layer)
        block.params = layer->description().defaultParams();
    block.position = { position.x(), position.y() };
    return block;
}

QString GraphDocument::addBlock(const QString& type, QPointF position)
{
    if (!engine::LayerRegistry::instance().find(toStdString(type)) && !project_.graph.findComposite(toStdString(type)))
        return {};
    if (toStdString(type) == scope_)
        return {}; // a composite cannot contain itself
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
    for (const engine::CompositeDefinition& definition : graph.composites())
        result.addComposite(definition);
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
        editableGraph().addBlock(block);
    else
        editableGraph() = rebuilt(editableGraph(), &block, nullptr, index);
    syncScope();
    Q_EMIT blockAdded(toQString(block.id));
}

Block GraphDocument::removeBlock(const std::string& id)
{
    Block removed = graph().block(id);
    for (const Connection& connection : graph().connections())
        ND_CHECK(connection.from.block != id && connection.to.block != id, "block ", id, " still has connection ",
            engine::describeConnection(connection), " (remove it first)");
    editableGraph().removeBlock(id);
    syncScope();
    Q_EMIT blockRemoved(toQString(id));
    return removed;
}

void GraphDocument::insertConnection(const Connection& connection, size_t index)
{
    if (index >= graph().connections().size())
        editableGraph().connect(connection);
    else
        editableGraph() = rebuilt(editableGraph(), nullptr, &connection, index);
    syncScope();
    Q_EMIT connectionAdded(connection);
}

void GraphDocument::removeConnection(const Connection& connection)
{
    ND_CHECK(editableGraph().disconnect(connection), "no connection ", engine::describeConnection(connection));
    syncScope();
    Q_EMIT connectionRemoved(connection);
}

void GraphDocument::setPosition(const std::string& id, engine::Point position)
{
    editableGraph().block(id).position = position;
    syncScope();
    Q_EMIT blockMoved(toQString(id));
}

void GraphDocument::setParameter(
    const std::string& id, const std::string& name, const std::optional<engine::ParamValue>& value)
{
    Block& block = editableGraph().block(id);
    if (value)
        block.params[name] = *value;
    else
        block.params.erase(name);
    syncScope();
    Q_EMIT blockChanged(toQString(id));
}

engine::ParamValue GraphDocument::setting(SettingSection section, const std::string& name) const
{
    if (section == SettingSection::Dataset)
        return engine::findSettingField<engine::DatasetSpec>(name).get(project_.dataset);
    return engine::findSettingField<engine::TrainingSettings>(name).get(project_.training);
}

void GraphDocument::setExperiment(const engine::ExperimentPlan& plan)
{
    project_.experiment = plan;
    Q_EMIT experimentChanged();
}

void GraphDocument::setSetting(SettingSection section, const std::string& name, const engine::ParamValue& value)
{
    if (section == SettingSection::Dataset)
        engine::findSettingField<engine::DatasetSpec>(name).set(project_.dataset, value);
    else
        engine::findSettingField<engine::TrainingSettings>(name).set(project_.training, value);
    Q_EMIT settingChanged(section, toQString(name));
}

void GraphDocument::setDisplayName(const std::string& id, const std::string& name)
{
    editableGraph().block(id).name = name;
    syncScope();
    Q_EMIT blockChanged(toQString(id));
}

void GraphDocument::setFrozen(const std::string& id, bool frozen)
{
    editableGraph().block(id).frozen = frozen;
    syncScope();
    Q_EMIT blockChanged(toQString(id));
}

void GraphDocument::setLearningRateScale(const std::string& id, double scale)
{
    editableGraph().block(id).learningRateScale = scale;
    syncScope();
    Q_EMIT blockChanged(toQString(id));
}

void GraphDocument::replaceGraph(const Graph& graph)
{
    const bool definitionsChanged = graph.composites() != project_.graph.composites();
    if (scope_.empty()) {
        project_.graph = graph;
    } else {
        // Definitions made or changed inside a composite belong to the project.
        for (const engine::CompositeDefinition& definition : graph.composites()) {
            if (project_.graph.findComposite(definition.name))
                project_.graph.replaceComposite(definition);
            else
                project_.graph.addComposite(definition);
        }
        scopeGraph_ = graph;
        syncScope();
    }
    if (definitionsChanged) {
        Q_EMIT compositesChanged();
    }
    Q_EMIT projectReset();
}

void GraphDocument::replaceProjectGraph(const Graph& graph, const QString& scope)
{
    const bool definitionsChanged = graph.composites() != project_.graph.composites();
    project_.graph = graph;
    if (!scope_.empty() && scope != scopeName_ && !scope.isEmpty()
        && project_.graph.findComposite(toStdString(scope))) {
        scopeName_ = scope;
        scope_ = toStdString(scope);
        Q_EMIT scopeChanged(scopeName_);
    }
    if (!scope_.empty() && !project_.graph.findComposite(scope_)) {
        scope_.clear();
        scopeName_.clear();
        Q_EMIT scopeChanged(scopeName_);
    }
    loadScopeGraph();
    if (definitionsChanged) {
        Q_EMIT compositesChanged();
    }
    Q_EMIT projectReset();
}

void GraphDocument::loadScopeGraph()
{
    scopeGraph_ = {};
    if (scope_.empty())
        return;
    const engine::CompositeDefinition* definition = project_.graph.findComposite(scope_);
    ND_CHECK(definition, "no composite block named '", scope_, "'");
    scopeGraph_ = engine::compositeInside(project_.graph, *definition);
}

void GraphDocument::syncScope()
{
    if (scope_.empty())
        return;
    engine::CompositeDefinition definition = *project_.graph.findComposite(scope_);
    definition.setBody(scopeGraph_);
    project_.graph.replaceComposite(definition);
    scopeGraph_.replaceComposite(definition);
}

namespace {

/// The expanded block behind output `port` (empty: the first) of `block`, which lies inside an instance
/// whose expanded ids start with `prefix`: the block itself for a layer, else followed through its
/// definition's output, however deeply nested.
std::optional<engine::PortRef> expandedOutput(
    const Graph& project, const std::string& prefix, const Block& block, const std::string& port, int depth = 0)
{
    const engine::CompositeDefinition* definition = project.findComposite(block.type);
    if (!definition)
        return engine::PortRef { prefix + block.id, port };
    if (depth > 32 || definition->outputs.empty())
        return std::nullopt; // a composite containing itself is reported by the expansion
    const engine::CompositeOutput* output = port.empty() ? &definition->outputs.front() : definition->findOutput(port);
    if (!output)
        return std::nullopt;
    const auto inner = std::find_if(definition->blocks.begin(), definition->blocks.end(),
        [&](const Block& candidate) { return candidate.id == output->source.block; });
    if (inner == definition->blocks.end())
        return std::nullopt;
    return expandedOutput(
        project, prefix + block.id + engine::kCompositeIdSeparator, *inner, output->source.port, depth + 1);
}

/// Inference for the inside of composite `scope`: the records of the first instance's expanded blocks
/// ("enc1__conv" shown as "conv"); a nested instance gets the shapes of the blocks behind its outputs
/// and the problems of the blocks inside it. Without an instance, the inside on its own.
engine::InferenceResult scopedInference(const Graph& project, const std::string& scope, const Graph& inside)
{
    const auto instance = std::find_if(
        project.blocks().begin(), project.blocks().end(), [&](const Block& block) { return block.type == scope; });
    if (instance == project.blocks().end())
        return engine::inferShapes(inside);
    const engine::InferenceResult whole = engine::inferShapes(project);
    const std::string prefix = instance->id + engine::kCompositeIdSeparator;
    engine::InferenceResult result;
    for (const Block& block : inside.blocks()) {
        result.documentOrder.push_back(block.id);
        const engine::CompositeDefinition* nested = project.findComposite(block.type);
        if (!nested) {
            auto found = whole.blocks.find(prefix + block.id);
            result.blocks[block.id] = found == whole.blocks.end() ? engine::BlockInference {} : found->second;
            continue;
        }
        engine::BlockInference& info = result.blocks[block.id];
        for (const engine::CompositeOutput& output : nested->outputs) {
            const auto source = expandedOutput(project, prefix, block, output.name);
            const engine::BlockInference* behind = source ? whole.find(source->block) : nullptr;
            if (!behind)
                continue;
            auto shape = behind->portOutputs.count(source->port) ? std::optional(behind->portOutputs.at(source->port))
                                                                    : behind->output;
            if (!shape)
                continue;
            info.portOutputs.emplace(output.name, *shape);
            if (!info.output)
                info.output = *shape;
        }
        const std::string innerPrefix = prefix + block.id + engine::kCompositeIdSeparator;
        for (const auto& [id, record] : whole.blocks)
            if (id.rfind(innerPrefix, 0) == 0)
                for (const std::string& message : record.errors)
                    info.errors.push_back(
                        "inside " + block.type + ", block " + id.substr(innerPrefix.size()) + ": " + message);
    }
    for (const std::string& id : whole.order)
        if (id.rfind(prefix, 0) == 0 && inside.findBlock(id.substr(prefix.size())))
            result.order.push_back(id.substr(prefix.size()));
    return result;
}

} // namespace

void GraphDocument::updateInference()
{
    // The snapshot is a copy (about 1 ms for 1,000 blocks); inference itself (several ms) and the
    // scene's refresh no longer happen between the edit and the next frame.
    inferencePending_ = true;
    inferenceRunner_->submit(++inferenceGeneration_,
        [graph = project_.graph, scope = scope_, inside = scopeGraph_] {
            return scope.empty() ? engine::inferShapes(graph) : scopedInference(graph, scope, inside);
        });
}

void GraphDocument::publishInference(uint64_t generation, engine::InferenceResult result)
{
    if (generation != inferenceGeneration_ || !inferencePending_)
        return; // an edit followed (its own result is coming), or inference() already computed it
    inference_ = std::move(result);
    inferencePending_ = false;
    Q_EMIT inferenceUpdated();
}

const engine::InferenceResult& GraphDocument::inference() const
{
    if (inferencePending_) {
        auto* self = const_cast<GraphDocument*>(this);
        self->updateInferenceQuietly();
        // The views still wait for inferenceUpdated(); it comes from the event loop, not from a getter.
        QMetaObject::invokeMethod(self, &GraphDocument::inferenceUpdated, Qt::QueuedConnection);
    }
    return inference_;
}

void GraphDocument::updateInferenceQuietly()
{
    ++inferenceGeneration_; // results still on their way are older than this one
    inferencePending_ = false;
    try {
        inference_ = scope_.empty() ? engine::inferShapes(project_.graph)
                                    : scopedInference(project_.graph, scope_, scopeGraph_);
    } catch (const engine::Error& error) {
        // Inference reports problems instead of throwing; this guards against a layer's bug.
        qWarning() << "shape inference failed:" << error.what();
        inference_ = {};
    }
}

} // namespace netdraft::editor
