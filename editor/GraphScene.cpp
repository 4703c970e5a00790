#include "editor/GraphScene.h"

#include "editor/BlockItem.h"
#include "editor/ConnectionDrag.h"
#include "editor/ConnectionItem.h"
#include "editor/ConnectionRouting.h"
#include "editor/PortItem.h"
#include "editor/commands/MoveBlocks.h"

#include <QGraphicsSceneMouseEvent>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QGraphicsView>
#include <QPainter>
#include <QPixmap>
#include <QUndoStack>

#include <algorithm>
#include <limits>
#include <set>
#include <cmath>

namespace netdraft::editor {

GraphScene::GraphScene(GraphDocument& document, QObject* parent)
    : QGraphicsScene(parent)
    , document_(document)
{
    // A large fixed canvas: the view can pan anywhere without the scene rect jumping.
    setSceneRect(-20000, -20000, 40000, 40000);
    setItemIndexMethod(QGraphicsScene::NoIndex); // few items that move often
    connect(&document_, &GraphDocument::projectReset, this, &GraphScene::rebuild);
    connect(&document_, &GraphDocument::blockAdded, this, &GraphScene::onBlockAdded);
    connect(&document_, &GraphDocument::blockRemoved, this, &GraphScene::onBlockRemoved);
    connect(&document_, &GraphDocument::blockChanged, this, &GraphScene::onBlockChanged);
    connect(&document_, &GraphDocument::blockMoved, this, &GraphScene::onBlockMoved);
    connect(&document_, &GraphDocument::connectionAdded, this, &GraphScene::onConnectionAdded);
    connect(&document_, &GraphDocument::connectionRemoved, this, &GraphScene::onConnectionRemoved);
    connect(&document_, &GraphDocument::inferenceUpdated, this, &GraphScene::onInferenceUpdated);
    // A command's moves are routed when it is done (before its caller reads a connection's path).
    connect(document_.undoStack(), &QUndoStack::indexChanged, this, &GraphScene::followChangedBlocks);
    // After the scene's own handlers: port markers follow the blocks (a slice may have resized some).
    for (auto signal : { &GraphDocument::blockAdded, &GraphDocument::blockRemoved, &GraphDocument::blockChanged,
             &GraphDocument::blockMoved })
        connect(&document_, signal, this, &GraphScene::updatePortMarkers);
    connect(
        this, &QGraphicsScene::selectionChanged, this, [this] { Q_EMIT selectedBlocksChanged(selectedBlockIds()); });
    rebuild();
}

GraphScene::~GraphScene()
{
    drag_.reset();
    disconnect(this, &QGraphicsScene::selectionChanged, nullptr, nullptr);
    clear(); // while this is still a GraphScene: items look it up when they change
}

void GraphScene::rebuild()
{
    drag_.reset();
    spliceHover_.reset();
    spliceGlow_ = nullptr; // clear() deletes it
    staleItems_.clear();
    nextStale_ = 0;
    // Forget the items before deleting them: deleting selected items emits selectionChanged, whose
    // handlers look blocks up by id.
    blocks_.clear();
    blockRects_.clear();
    pendingConnections_.clear();
    connections_.clear();
    portMarkers_.clear();
    clear();
    for (const engine::Block& block : document_.graph().blocks())
        onBlockAdded(QString::fromStdString(block.id));
    for (const engine::Connection& connection : document_.graph().connections()) {
        auto* item = new ConnectionItem(connection);
        addItem(item);
        connections_.push_back(item);
    }
    updatePortStates(); // once, not per connection: that made opening 1,000 blocks take seconds
    // A new project or scope is drawn complete, with its shapes, before anyone looks at it.
    queueAllItems();
    refreshStaleItems(std::numeric_limits<qint64>::max());
    movedBlockRects_.clear(); // every connection was routed just now, around every block
    pendingConnections_.clear();
    updatePortMarkers();
}

BlockItem* GraphScene::blockItem(const QString& id) const
{
    auto it = blocks_.find(id);
    return it == blocks_.end() ? nullptr : it->second;
}

ConnectionItem* GraphScene::connectionItem(const engine::Connection& connection) const
{
    for (ConnectionItem* item : connections_)
        if (item->connection() == connection)
            return item;
    return nullptr;
}

ConnectionItem* GraphScene::connectionAt(QPointF scenePos) const
{
    for (QGraphicsItem* item : items(scenePos))
        if (auto* connection = qgraphicsitem_cast<ConnectionItem*>(item); connection && connection->isVisible())
            return connection;
    return nullptr;
}

PortItem* GraphScene::portAt(QPointF scenePos) const
{
    for (QGraphicsItem* item : items(scenePos))
        if (auto* port = qgraphicsitem_cast<PortItem*>(item))
            return port;
    return nullptr;
}

QPointF GraphScene::portScenePosition(const engine::PortRef& port, bool isInput) const
{
    BlockItem* block = blockItem(QString::fromStdString(port.block));
    if (!block)
        return {};
    PortItem* item = isInput ? block->inputPort(port.port) : block->outputPort(port.port);
    // A port that no longer exists (num_inputs lowered) still ends at the block's edge.
    return item ? item->scenePos()
                : block->mapToScene(isInput ? QPointF(0, 20) : QPointF(block->boundingRect().right(), 20));
}

QStringList GraphScene::selectedBlockIds() const
{
    QStringList ids;
    // Graph order, so that the result does not depend on the scene's internal order.
    for (const engine::Block& block : document_.graph().blocks())
        if (BlockItem* item = blockItem(QString::fromStdString(block.id)); item && item->isSelected())
            ids << item->blockId();
    return ids;
}

void GraphScene::selectBlocks(const QStringList& ids)
{
    QSignalBlocker blocker(this); // one selectionChanged for the whole change
    clearSelection();
    for (const QString& id : ids)
        if (BlockItem* item = blockItem(id))
            item->setSelected(true);
    blocker.unblock();
    Q_EMIT selectionChanged();
}

void GraphScene::onBlockAdded(const QString& id)
{
    const engine::Block& block = document_.graph().block(id.toStdString());
    auto* item = new BlockItem(block);
    addItem(item);
    blocks_[id] = item;
    item->refresh(block, document_.latestInference().find(block.id));
    blockRectChanged(id, item->blockRect()); // a connection may pass where it lands (undoing a delete)
}

void GraphScene::onBlockRemoved(const QString& id)
{
    auto it = blocks_.find(id);
    if (it == blocks_.end())
        return;
    if (drag_)
        drag_.reset();
    staleItems_.clear(); // may hold the item; the removing edit's inference requeues the rest
    nextStale_ = 0;
    delete it->second;
    blocks_.erase(it);
    blockRectChanged(id, {}); // a connection around it can straighten
}

void GraphScene::onBlockChanged(const QString& id)
{
    if (BlockItem* item = blockItem(id)) {
        const std::string blockId = id.toStdString();
        item->refresh(document_.graph().block(blockId), document_.latestInference().find(blockId));
        blockRectChanged(id, item->blockRect()); // a rename or parameter may have resized it
        for (ConnectionItem* connection : connections_) // its size may have changed: its ports moved
            if (connection->connection().from.block == blockId || connection->connection().to.block == blockId)
                updateConnectionGeometry(connection);
    }
}

void GraphScene::onBlockMoved(const QString& id)
{
    if (BlockItem* item = blockItem(id))
        item->setDocumentPosition(document_.graph().block(id.toStdString()).position);
}

void GraphScene::onConnectionAdded(const engine::Connection& connection)
{
    auto* item = new ConnectionItem(connection);
    addItem(item);
    connections_.push_back(item);
    updateConnectionGeometry(item);
    updatePortStates();
}

void GraphScene::onConnectionRemoved(const engine::Connection& connection)
{
    auto it = std::find_if(connections_.begin(), connections_.end(),
        [&](ConnectionItem* item) { return item->connection() == connection; });
    if (it == connections_.end())
        return;
    staleItems_.clear();
    nextStale_ = 0;
    pendingConnections_.erase(*it);
    delete *it;
    connections_.erase(it);
    updatePortStates();
}

void GraphScene::onInferenceUpdated()
{
    queueAllItems();
    scheduleStaleRefresh();
}

void GraphScene::queueAllItems()
{
    QRectF visible;
    for (QGraphicsView* view : views())
        visible |= view->mapToScene(view->viewport()->rect()).boundingRect();
    // Blocks before connections (a block's size places its ports), what is on screen before the rest.
    staleItems_.clear();
    nextStale_ = 0;
    for (const bool onScreen : { true, false }) {
        for (const auto& [id, item] : blocks_)
            if (item->sceneBoundingRect().intersects(visible) == onScreen)
                staleItems_.emplace_back(item);
        for (ConnectionItem* item : connections_)
            if (item->sceneBoundingRect().intersects(visible) == onScreen)
                staleItems_.emplace_back(item);
    }
}

namespace {
const QEvent::Type kRefreshSliceEvent = static_cast<QEvent::Type>(QEvent::registerEventType());
}

void GraphScene::scheduleStaleRefresh()
{
    // The next slice is a low-priority posted event, like a widget's repaint request: those are
    // delivered in the order they were posted, so the repaint a slice asked for runs before the next
    // slice. (A zero timer or a normal posted call ran two or three slices back to back.)
    if (refreshPosted_)
        return;
    refreshPosted_ = true;
    QCoreApplication::postEvent(this, new QEvent(kRefreshSliceEvent), Qt::LowEventPriority);
}

bool GraphScene::event(QEvent* event)
{
    if (event->type() != kRefreshSliceEvent)
        return QGraphicsScene::event(event);
    refreshPosted_ = false;
    refreshStaleItems(kRefreshSliceNanoseconds);
    updatePortMarkers(); // a slice may have resized blocks the markers point at
    return true;
}

void GraphScene::refreshStaleItems(qint64 budgetNanoseconds)
{
    QElapsedTimer slice;
    slice.start();
    const engine::InferenceResult& inference = document_.latestInference();
    std::set<std::string> resized;
    while (nextStale_ < staleItems_.size() && slice.nsecsElapsed() < budgetNanoseconds) {
        const auto stale = staleItems_[nextStale_++];
        if (auto* const* block = std::get_if<BlockItem*>(&stale)) {
            const std::string id = (*block)->blockId().toStdString();
            if (const engine::Block* found = document_.graph().findBlock(id)) {
                const QRectF before = (*block)->sceneBoundingRect();
                (*block)->refresh(*found, inference.find(id));
                if ((*block)->sceneBoundingRect() != before) {
                    resized.insert(id);
                    blockRectChanged((*block)->blockId(), (*block)->blockRect());
                }
            }
        } else {
            ConnectionItem* item = std::get<ConnectionItem*>(stale);
            auto shape = inference.shapeOf(item->connection());
            item->setLabel(shape ? QString::fromStdString(shape->toString()) : QString());
            updateConnectionGeometry(item);
        }
    }
    if (!resized.empty()) // a block grew or shrank: its ports moved, also under connections already refreshed
        for (ConnectionItem* item : connections_)
            if (resized.count(item->connection().from.block) || resized.count(item->connection().to.block))
                updateConnectionGeometry(item);
    if (nextStale_ < staleItems_.size()) {
        scheduleStaleRefresh();
    } else {
        staleItems_.clear();
        nextStale_ = 0;
    }
}

void GraphScene::updateConnectionGeometry(ConnectionItem* item) const
{
    const QPointF from = portScenePosition(item->connection().from, false);
    const QPointF to = portScenePosition(item->connection().to, true);
    const QString sourceId = QString::fromStdString(item->connection().from.block);
    const QString targetId = QString::fromStdString(item->connection().to.block);
    std::vector<QRectF> ends;
    for (const QString& id : { sourceId, targetId })
        if (const BlockItem* end = blockItem(id))
            ends.push_back(end->blockRect());
    auto others = [&](const std::vector<BlockRectIndex::Entry>& blocks) {
        std::vector<QRectF> rects;
        for (const BlockRectIndex::Entry& block : blocks)
            if (block.id != sourceId && block.id != targetId)
                rects.push_back(block.rect);
        return rects;
    };
    // A plain curve through other blocks (a skip connection, a wrap to the next row) goes around
    // them; the blocks that can be in a detour's way are those in the column it runs through.
    const QRectF plainArea = connectionPath(from, to).boundingRect().adjusted(-1, -1, 1, 1);
    std::vector<QRectF> obstacles = others(blockRects_.blocksMeeting(plainArea));
    if (!obstacles.empty()) {
        const DetourColumn column = detourColumn(from, to);
        obstacles = others(blockRects_.blocksInColumn(
            std::min(column.left, plainArea.left()), std::max(column.right, plainArea.right())));
    }
    item->setEnds(from, to, obstacles, ends);
}

void GraphScene::blockRectChanged(const QString& id, const QRectF& rect)
{
    const QRectF before = rect.isEmpty() ? blockRects_.remove(id) : blockRects_.place(id, rect);
    if (before == rect)
        return;
    for (const QRectF& changed : { before, rect })
        if (!changed.isEmpty())
            movedBlockRects_.push_back(changed);
    scheduleRouting();
}

void GraphScene::scheduleRouting()
{
    // Also after the undo stack's indexChanged (commands); this covers moves outside a command.
    if (!reroutePosted_) {
        reroutePosted_ = true;
        QMetaObject::invokeMethod(this, &GraphScene::followChangedBlocks, Qt::QueuedConnection);
    }
}

void GraphScene::followChangedBlocks()
{
    reroutePosted_ = false;
    if (movedBlockRects_.empty() && pendingConnections_.empty())
        return;
    // The changed rectangles, indexed: an Auto-Layout moves every block.
    BlockRectIndex changed;
    for (size_t i = 0; i < movedBlockRects_.size(); ++i)
        changed.place(QString::number(i), movedBlockRects_[i]);
    for (ConnectionItem* connection : connections_)
        if (pendingConnections_.count(connection) || !changed.blocksMeeting(connection->routeArea()).empty())
            updateConnectionGeometry(connection);
    movedBlockRects_.clear();
    pendingConnections_.clear();
}

void GraphScene::updatePortStates()
{
    std::set<engine::PortRef> fed;  // input ends
    std::set<engine::PortRef> used; // output ends
    for (const engine::Connection& c : document_.graph().connections()) {
        used.insert(c.from);
        fed.insert(c.to);
    }
    // Inside a composite, the inner ports behind its own ports are connected from outside.
    std::map<engine::PortRef, QString> outerPorts;
    if (const engine::CompositeDefinition* definition
        = document_.project().graph.findComposite(document_.scope().toStdString())) {
        for (const engine::CompositeInput& input : definition->inputs)
            for (const engine::PortRef& target : input.targets) {
                fed.insert(target);
                outerPorts[target] = tr("fed by the composite's input '%1'").arg(QString::fromStdString(input.name));
            }
        for (const engine::CompositeOutput& output : definition->outputs) {
            used.insert(output.source);
            outerPorts[output.source] = tr("the composite's output '%1'").arg(QString::fromStdString(output.name));
        }
    }
    for (const auto& [id, block] : blocks_) {
        const std::string blockId = id.toStdString();
        for (PortItem* port : block->inputPorts())
            port->setConnected(fed.count({ blockId, port->port().toStdString() }) > 0);
        for (PortItem* port : block->outputPorts())
            port->setConnected(used.count({ blockId, port->port().toStdString() }) > 0);
        for (const auto& ports : { block->inputPorts(), block->outputPorts() })
            for (PortItem* port : ports)
                if (auto outer = outerPorts.find({ blockId, port->port().toStdString() }); outer != outerPorts.end())
                    port->setToolTip(outer->second);
    }
}

void GraphScene::blockItemMoved(BlockItem* item)
{
    // Connections whose way the block left or entered follow once, after a whole command or frame.
    blockRectChanged(item->blockId(), item->blockRect());
    // Its own connections follow a drag at once, and a command's moves once it is done.
    const bool dragged = mouseGrabberItem() != nullptr;
    const std::string id = item->blockId().toStdString();
    for (ConnectionItem* connection : connections_)
        if (connection->connection().from.block == id || connection->connection().to.block == id) {
            if (dragged)
                updateConnectionGeometry(connection);
            else
                pendingConnections_.insert(connection);
        }
    updatePortMarkers();
    if (mouseGrabberItem() == item) { // the user drags it (a command moves it without a grabber)
        int draggedBlocks = 0;
        for (QGraphicsItem* selected : selectedItems())
            draggedBlocks += selected->type() == BlockItem::Type;
        ConnectionItem* into = draggedBlocks <= 1 ? spliceTargetFor(item) : nullptr;
        setSpliceHover(into ? std::optional(into->connection()) : std::nullopt, item);
    }
}

void GraphScene::mousePressEvent(QGraphicsSceneMouseEvent* event)
{
    if (event->button() == Qt::LeftButton) {
        if (PortItem* port = portAt(event->scenePos())) {
            const engine::PortRef ref { port->blockId().toStdString(), port->port().toStdString() };
            if (!port->isInput()) {
                drag_ = std::make_unique<ConnectionDrag>(*this, ref, std::nullopt);
            } else if (auto existing = document_.graph().connectionInto(ref)) {
                drag_ = std::make_unique<ConnectionDrag>(*this, existing->from, existing);
            }
            if (drag_) {
                drag_->moveTo(event->scenePos());
                event->accept();
                return;
            }
        }
    }
    QGraphicsScene::mousePressEvent(event);
}

void GraphScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event)
{
    if (drag_) {
        drag_->moveTo(event->scenePos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void GraphScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event)
{
    if (drag_ && event->button() == Qt::LeftButton) {
        std::unique_ptr<ConnectionDrag> drag = std::move(drag_);
        drag->finish(event->scenePos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton)
        commitMovedBlocks();
}

void GraphScene::commitMovedBlocks()
{
    setSpliceHover(std::nullopt);
    std::map<std::string, engine::Point> targets;
    for (const auto& [id, item] : blocks_) {
        const engine::Point now { item->pos().x(), item->pos().y() };
        if (!(document_.graph().block(id.toStdString()).position == now))
            targets[id.toStdString()] = now;
    }
    if (targets.empty())
        return;
    // One unconnected block dropped onto a connection goes into it.
    const QString id = QString::fromStdString(targets.begin()->first);
    ConnectionItem* into = targets.size() == 1 ? spliceTargetFor(blockItem(id)) : nullptr;
    if (!into) {
        document_.push(new commands::MoveBlocks(document_, targets));
        return;
    }
    const engine::Connection connection = into->connection();
    document_.undoStack()->beginMacro(tr("Insert %1").arg(id));
    document_.push(new commands::MoveBlocks(document_, targets));
    insertIntoConnection(id, connection);
    document_.undoStack()->endMacro();
}

void GraphScene::drawBackground(QPainter* painter, const QRectF& rect)
{
    const QColor paper(0xF4, 0xF6, 0xF9);
    const double scale = views().isEmpty() ? 1.0 : views().first()->transform().m11();
    if (scale < 0.45) { // dots would only add noise when zoomed far out
        painter->fillRect(rect, paper);
        return;
    }
    // The dot grid is one pattern fill of a 20×20 tile (one grid step): drawing every dot as an
    // antialiased point made repaints of a large view cost tens of milliseconds.
    static const QPixmap tile = [paper] {
        QPixmap pixmap(20, 20);
        pixmap.fill(paper);
        QPainter dots(&pixmap);
        dots.setRenderHint(QPainter::Antialiasing);
        dots.setPen(Qt::NoPen);
        dots.setBrush(QColor(0xCB, 0xD2, 0xDC));
        for (int x : { 0, 20 }) // quarters of the dots at the tile's corners: the grid points
            for (int y : { 0, 20 })
                dots.drawEllipse(QPointF(x, y), 0.9, 0.9);
        return pixmap;
    }();
    painter->save();
    painter->setRenderHint(QPainter::SmoothPixmapTransform, false);
    painter->fillRect(rect, QBrush(tile));
    painter->restore();
}

} // namespace netdraft::editor
