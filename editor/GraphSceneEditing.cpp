// GraphScene's editing operations: add, insert (splice), delete, dissolve, clipboard, duplicate, layout,
// nudge, freeze.
// (The scene's synchronisation with the document is in GraphScene.cpp.)

#include "editor/AutoLayout.h"
#include "editor/BlockGeometry.h"
#include "editor/BlockItem.h"
#include "editor/ClipboardFormat.h"
#include "editor/ConnectionItem.h"
#include "editor/ConnectionRules.h"
#include "editor/GraphScene.h"
#include "editor/MimeTypes.h"
#include "editor/PortItem.h"
#include "editor/SpliceRoom.h"
#include "editor/commands/AddBlocks.h"
#include "editor/commands/AutoLayout.h"
#include "editor/commands/Connect.h"
#include "editor/commands/Disconnect.h"
#include "editor/commands/MoveBlocks.h"
#include "editor/commands/Paste.h"
#include "editor/commands/RemoveBlocks.h"
#include "editor/commands/ReplaceProjectGraph.h"
#include "editor/commands/SetFrozen.h"
#include "engine/core/Error.h"
#include "engine/graph/CompositeEditing.h"
#include "engine/layers/LayerRegistry.h"

#include <QClipboard>
#include <QGraphicsPathItem>
#include <QGuiApplication>
#include <QMimeData>
#include <QPen>

#include <limits>
#include <map>
#include <set>

namespace netdraft::editor {

namespace {
std::vector<std::string> toStd(const QStringList& ids)
{
    std::vector<std::string> result;
    for (const QString& id : ids)
        result.push_back(id.toStdString());
    return result;
}
} // namespace

QString GraphScene::addBlockAt(const QString& type, QPointF scenePos)
{
    const bool layer = engine::LayerRegistry::instance().find(type.toStdString()) != nullptr;
    if (!layer && type == document_.scope()) {
        Q_EMIT statusMessage(tr("A composite block cannot contain itself"));
        return {};
    }
    const bool imports = !layer && !document_.project().graph.findComposite(type.toStdString());
    if (imports)
        document_.undoStack()->beginMacro(tr("Add %1").arg(type));
    const QString id = addBlockAtChecked(type, scenePos);
    if (imports)
        document_.undoStack()->endMacro();
    return id;
}

QString GraphScene::addBlockAtChecked(const QString& type, QPointF scenePos)
{
    if (!engine::LayerRegistry::instance().find(type.toStdString()) && !importLibraryComposite(type))
        return {};
    engine::Block block = document_.makeBlock(type, {});
    const QSizeF size = geometry::blockSize(block, document_.graph());
    block.position = { geometry::snapToGrid(scenePos.x() - size.width() / 2),
        geometry::snapToGrid(scenePos.y() - size.height() / 2) };
    const QString id = QString::fromStdString(block.id);
    ConnectionItem* into = connectionAt(scenePos);
    const bool insertable = !geometry::inputPorts(block, document_.graph()).empty()
        && !geometry::outputPorts(block, document_.graph()).empty();
    if (into && insertable) {
        document_.undoStack()->beginMacro(tr("Insert %1").arg(type));
        document_.push(new commands::AddBlocks(document_, { block }));
        insertIntoConnection(id, into->connection());
        document_.undoStack()->endMacro();
    } else {
        document_.push(new commands::AddBlocks(document_, { block }));
    }
    selectBlocks({ id });
    return id;
}

void GraphScene::insertIntoConnection(const QString& id, const engine::Connection& connection)
{
    const engine::Block& block = document_.graph().block(id.toStdString());
    const auto inputs = geometry::inputPorts(block, document_.graph());
    const auto outputs = geometry::outputPorts(block, document_.graph());
    if (inputs.empty() || outputs.empty())
        return;
    const engine::Connection before { connection.from, { block.id, inputs.front() } };
    const engine::Connection after { { block.id, outputs.front() }, connection.to };
    const std::map<std::string, engine::Point> room = spliceRoom(document_.graph(), block.id, connection);
    document_.undoStack()->beginMacro(
        tr("Insert %1 into %2").arg(id, QString::fromStdString(engine::describeConnection(connection))));
    if (!room.empty())
        document_.push(new commands::MoveBlocks(document_, room));
    document_.push(new commands::Disconnect(document_, connection));
    document_.push(new commands::Connect(document_, before));
    document_.push(new commands::Connect(document_, after));
    document_.undoStack()->endMacro();
}

ConnectionItem* GraphScene::spliceTargetFor(BlockItem* item) const
{
    if (!item || item->inputPorts().empty() || item->outputPorts().empty())
        return nullptr;
    // A port's connected state also counts the open composite's own ports, which the graph does not list.
    for (const auto& ports : { item->inputPorts(), item->outputPorts() })
        for (const PortItem* port : ports)
            if (port->isConnected())
                return nullptr;
    return connectionAt(item->sceneBoundingRect().center());
}

void GraphScene::setSpliceHover(std::optional<engine::Connection> connection, BlockItem* block)
{
    spliceHover_ = std::move(connection);
    if (!spliceHover_ || !block || block->inputPorts().empty() || block->outputPorts().empty()) {
        delete spliceGlow_;
        spliceGlow_ = nullptr;
        return;
    }
    // A preview of the result, source → block → target, drawn over the blocks: the dragged block
    // mostly hides the short connection between two neighbours that it would go into.
    QPainterPath preview
        = connectionPath(portScenePosition(spliceHover_->from, false), block->inputPorts().front()->scenePos());
    preview.addPath(
        connectionPath(block->outputPorts().front()->scenePos(), portScenePosition(spliceHover_->to, true)));
    if (!spliceGlow_) {
        spliceGlow_ = addPath(preview, QPen(QColor(0xF5, 0x9E, 0x0B), 3, Qt::SolidLine, Qt::RoundCap));
        spliceGlow_->setData(0, QStringLiteral("spliceHover"));
        spliceGlow_->setZValue(5); // over blocks, under a connection being dragged
        spliceGlow_->setAcceptedMouseButtons(Qt::NoButton);
    } else {
        spliceGlow_->setPath(preview);
    }
}

void GraphScene::deleteSelection()
{
    const QStringList blockIds = selectedBlockIds();
    const std::vector<std::string> removedIds = toStd(blockIds);
    const std::set<std::string> removed(removedIds.begin(), removedIds.end());
    std::vector<engine::Connection> connections;
    for (QGraphicsItem* item : selectedItems())
        if (auto* connection = qgraphicsitem_cast<ConnectionItem*>(item))
            if (!removed.count(connection->connection().from.block)
                && !removed.count(connection->connection().to.block))
                connections.push_back(connection->connection());
    if (blockIds.isEmpty() && connections.empty())
        return;
    document_.undoStack()->beginMacro(tr("Delete"));
    for (const engine::Connection& connection : connections)
        document_.push(new commands::Disconnect(document_, connection));
    std::string portReport;
    if (!blockIds.isEmpty()) {
        auto* remove = new commands::RemoveBlocks(document_, removedIds);
        portReport = remove->portReport();
        document_.push(remove);
    }
    document_.undoStack()->endMacro();
    if (!portReport.empty())
        Q_EMIT statusMessage(QString::fromStdString(portReport));
}

namespace {

/// The connection feeding removed block `id` from outside `removed`, through removed blocks that each
/// have exactly one connected input; nothing where one has none or several.
std::optional<engine::Connection> bridgeSource(
    const engine::Graph& graph, std::string id, const std::set<std::string>& removed)
{
    std::set<std::string> seen;
    while (removed.count(id) && seen.insert(id).second) {
        const std::vector<engine::Connection> inputs = graph.connectionsInto(id);
        if (inputs.size() != 1)
            return std::nullopt;
        if (!removed.count(inputs.front().from.block))
            return inputs.front();
        id = inputs.front().from.block;
    }
    return std::nullopt;
}

} // namespace

int GraphScene::dissolveSelection()
{
    const QStringList blockIds = selectedBlockIds();
    if (blockIds.isEmpty()) {
        deleteSelection(); // selected connections only
        return 0;
    }
    const std::vector<std::string> removedIds = toStd(blockIds);
    const std::set<std::string> removed(removedIds.begin(), removedIds.end());
    const engine::Graph& graph = document_.graph();
    std::vector<engine::Connection> bridges;
    QStringList unbridged;
    for (const std::string& id : removedIds) {
        std::vector<engine::Connection> consumers;
        for (const engine::Connection& out : graph.connectionsFrom(id))
            if (!removed.count(out.to.block))
                consumers.push_back(out);
        if (consumers.empty())
            continue;
        const std::optional<engine::Connection> source = bridgeSource(graph, id, removed);
        if (!source) {
            unbridged << QString::fromStdString(id);
            continue;
        }
        for (const engine::Connection& consumer : consumers)
            bridges.push_back({ source->from, consumer.to });
    }
    document_.undoStack()->beginMacro(bridges.empty() ? tr("Delete") : tr("Delete and Reconnect"));
    deleteSelection();
    int made = 0;
    for (const engine::Connection& bridge : bridges)
        if (!whyCannotConnect(document_.graph(), bridge)) {
            document_.push(new commands::Connect(document_, bridge));
            ++made;
        }
    document_.undoStack()->endMacro();
    if (!unbridged.isEmpty())
        Q_EMIT statusMessage(tr("Not reconnected: %1 (a block needs exactly one connected input to be bridged)")
                                 .arg(unbridged.join(QStringLiteral(", "))));
    return made;
}

void GraphScene::copySelection() const
{
    const QStringList ids = selectedBlockIds();
    if (ids.isEmpty())
        return;
    const QByteArray json = encodeFragment(copyFragment(document_.graph(), toStd(ids)));
    auto* mime = new QMimeData;
    mime->setData(kBlocksMimeType, json);
    mime->setText(QString::fromUtf8(json));
    QGuiApplication::clipboard()->setMimeData(mime);
}

void GraphScene::cutSelection()
{
    if (selectedBlockIds().isEmpty())
        return;
    copySelection();
    document_.undoStack()->beginMacro(tr("Cut"));
    deleteSelection();
    document_.undoStack()->endMacro();
}

void GraphScene::paste(std::optional<QPointF> anchor)
{
    const QMimeData* mime = QGuiApplication::clipboard()->mimeData();
    if (mime && mime->hasFormat(kBlocksMimeType))
        pasteJson(mime->data(kBlocksMimeType), anchor);
}

void GraphScene::pasteJson(const QByteArray& json, std::optional<QPointF> anchor)
{
    try {
        pasteFragment(decodeFragment(json, document_.project().graph), anchor, QString());
    } catch (const engine::Error& error) {
        Q_EMIT statusMessage(tr("Cannot paste: %1").arg(QString::fromUtf8(error.what())));
    }
}

void GraphScene::duplicateSelection()
{
    const QStringList ids = selectedBlockIds();
    if (!ids.isEmpty())
        pasteFragment(copyFragment(document_.graph(), toStd(ids)), std::nullopt, tr("Duplicate"));
}

void GraphScene::pasteFragment(const BlockFragment& carried, std::optional<QPointF> anchor, const QString& text)
{
    if (carried.blocks.empty())
        return;
    // Definitions the project lacks come along; a name it has with other content gets a fresh name.
    std::map<std::string, std::string> renamed;
    const engine::Graph& project = document_.project().graph;
    const engine::Graph merged = engine::mergeComposites(project, carried.composites, renamed, sameComposite);
    BlockFragment fragment = carried;
    for (engine::Block& block : fragment.blocks)
        if (auto it = renamed.find(block.type); it != renamed.end())
            block.type = it->second;
    if (const std::string scope = document_.scope().toStdString(); !scope.empty())
        for (const engine::Block& block : fragment.blocks)
            for (const engine::CompositeDefinition& used : engine::compositeClosure(merged, { block.type }))
                if (used.name == scope) {
                    Q_EMIT statusMessage(tr("Cannot paste %1 inside %2: a composite cannot contain itself")
                                             .arg(QString::fromStdString(block.id), document_.scope()));
                    return;
                }
    engine::Point offset { 0, 0 };
    if (anchor) {
        double left = std::numeric_limits<double>::max(), top = left;
        for (const engine::Block& block : fragment.blocks) {
            left = std::min(left, block.position.x);
            top = std::min(top, block.position.y);
        }
        offset = { geometry::snapToGrid(anchor->x() - left), geometry::snapToGrid(anchor->y() - top) };
    } else {
        // Shift until no pasted block sits exactly on an existing one (pasting twice cascades).
        auto covers = [&](engine::Point shift) {
            for (const engine::Block& pasted : fragment.blocks)
                for (const engine::Block& existing : document_.graph().blocks())
                    if (existing.position == engine::Point { pasted.position.x + shift.x, pasted.position.y + shift.y })
                        return true;
            return false;
        };
        while (covers(offset))
            offset = { offset.x + 30, offset.y + 30 };
    }
    auto* command = new commands::Paste(document_, fragment, offset, text);
    QStringList pasted;
    for (const std::string& id : command->pastedIds())
        pasted << QString::fromStdString(id);
    const bool addsDefinitions = merged.composites() != project.composites();
    if (addsDefinitions) {
        document_.undoStack()->beginMacro(command->text());
        QStringList added;
        for (const engine::CompositeDefinition& definition : merged.composites())
            if (!project.findComposite(definition.name))
                added << QString::fromStdString(definition.name);
        document_.push(new commands::ReplaceProjectGraph(
            document_, merged, tr("Add composite %1").arg(added.join(", ")), document_.scope()));
        for (const auto& [from, to] : renamed)
            Q_EMIT statusMessage(tr("Pasted composite %1 as %2: this project has another %1")
                                     .arg(QString::fromStdString(from), QString::fromStdString(to)));
    }
    document_.push(command);
    if (addsDefinitions)
        document_.undoStack()->endMacro();
    selectBlocks(pasted);
}

void GraphScene::autoLayout(double aspectRatio, double maxRowWidth)
{
    QStringList ids = selectedBlockIds();
    if (ids.size() < 2)
        ids.clear();
    try {
        const auto positions = computeAutoLayout(document_.graph(), toStd(ids), aspectRatio, maxRowWidth);
        if (!positions.empty())
            document_.push(new commands::AutoLayout(document_, positions));
    } catch (const engine::Error& error) {
        Q_EMIT statusMessage(tr("Auto-layout failed: %1").arg(QString::fromUtf8(error.what())));
    }
}

void GraphScene::nudgeSelection(double dx, double dy)
{
    std::map<std::string, engine::Point> targets;
    for (const QString& id : selectedBlockIds()) {
        const engine::Point p = document_.graph().block(id.toStdString()).position;
        targets[id.toStdString()] = { p.x + dx, p.y + dy };
    }
    if (!targets.empty())
        document_.push(new commands::MoveBlocks(document_, targets));
}

int GraphScene::toggleSelectionFrozen()
{
    const std::vector<std::string> ids = toStd(selectedBlockIds());
    if (ids.empty()) {
        Q_EMIT statusMessage(tr("Select the blocks to freeze or unfreeze first"));
        return 0;
    }
    bool allFrozen = true;
    for (const std::string& id : ids)
        allFrozen = allFrozen && document_.graph().block(id).frozen;
    document_.push(new commands::SetFrozen(document_, ids, !allFrozen));
    Q_EMIT statusMessage(allFrozen
            ? tr("Unfroze %n block(s): training changes their weights again", nullptr, int(ids.size()))
            : tr("Froze %n block(s): training leaves their weights alone", nullptr, int(ids.size())));
    return int(ids.size());
}

int GraphScene::freezeUpTo(const QString& id)
{
    const engine::Graph& graph = document_.graph();
    std::set<std::string> upstream { id.toStdString() };
    std::vector<std::string> pending { id.toStdString() };
    while (!pending.empty()) {
        const std::string current = pending.back();
        pending.pop_back();
        for (const engine::Connection& connection : graph.connections())
            if (connection.to.block == current && upstream.insert(connection.from.block).second)
                pending.push_back(connection.from.block);
    }
    std::vector<std::string> toFreeze;
    for (const engine::Block& block : graph.blocks()) // in graph order, for a stable undo text
        if (upstream.count(block.id) && !block.frozen)
            toFreeze.push_back(block.id);
    if (toFreeze.empty())
        return 0;
    document_.push(new commands::SetFrozen(document_, toFreeze, true));
    Q_EMIT statusMessage(tr("Froze %n block(s) up to %1", nullptr, int(toFreeze.size())).arg(id));
    return int(toFreeze.size());
}

} // namespace netdraft::editor
