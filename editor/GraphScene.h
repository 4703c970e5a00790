#pragma once
// The canvas scene: one item per block and connection of the document, kept in step by listening
// to the document's signals (QtNodes-style). User edits become undoable commands on the document.

#include "editor/AutoLayout.h"
#include "editor/BlockRectIndex.h"
#include "editor/ClipboardFormat.h"
#include "editor/GraphDocument.h"

#include <QGraphicsScene>

#include <map>
#include <memory>
#include <variant>
#include <optional>
#include <set>

class QGraphicsPathItem;

namespace netdraft::editor {

class BlockItem;
class CompositeLibrary;
class CompositePortMarker;
class ConnectionDrag;
class ConnectionItem;
class PortItem;

/// Shows a GraphDocument and turns mouse gestures into commands.
class GraphScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit GraphScene(GraphDocument& document, QObject* parent = nullptr);
    ~GraphScene() override;

    GraphDocument& document() const { return document_; }
    BlockItem* blockItem(const QString& id) const;
    ConnectionItem* connectionItem(const engine::Connection& connection) const;
    /// The topmost connection under `scenePos`, if any.
    ConnectionItem* connectionAt(QPointF scenePos) const;
    /// The topmost port under `scenePos`, if any.
    PortItem* portAt(QPointF scenePos) const;
    /// Where a port's centre is in scene coordinates.
    QPointF portScenePosition(const engine::PortRef& port, bool isInput) const;

    QStringList selectedBlockIds() const;
    /// Selects exactly these blocks.
    void selectBlocks(const QStringList& ids);

    /// Adds a block of `type` centred at `scenePos`; dropped on a connection it is inserted into it.
    QString addBlockAt(const QString& type, QPointF scenePos);
    /// Inserts the (unconnected) block `id` into `connection`: from → id → to, as one undo step that
    /// also makes room (spliceRoom: the block and the blocks after it move so that none overlap).
    void insertIntoConnection(const QString& id, const engine::Connection& connection);
    /// The connection under one unconnected block being dragged (dropping it there splices the block
    /// in, and the canvas previews the two connections it would get), if any.
    const std::optional<engine::Connection>& spliceHover() const { return spliceHover_; }

    void deleteSelection();
    /// Deletes the selection like deleteSelection and, in the same undo step, bridges each removed
    /// block (or chain of removed blocks) that had one connected input: its source feeds each of its
    /// consumers (Blender's dissolve). Returns how many connections were made.
    int dissolveSelection();
    void copySelection() const;
    void cutSelection();
    /// Pastes the clipboard's blocks; with `anchor`, their top-left lands there.
    void paste(std::optional<QPointF> anchor = std::nullopt);
    /// Pastes clipboard-format JSON (kBlocksMimeType); a malformed one is reported by statusMessage.
    void pasteJson(const QByteArray& json, std::optional<QPointF> anchor);
    void duplicateSelection();
    /// Lays out the selection (two or more blocks) or else the whole graph, as one undo step, in rows
    /// shaped for a view of `aspectRatio` (width / height) no wider than `maxRowWidth` (computeAutoLayout).
    void autoLayout(double aspectRatio = kDefaultLayoutAspectRatio,
        double maxRowWidth = std::numeric_limits<double>::infinity());
    /// Moves the selected blocks by (dx, dy); repeated nudges merge into one undo step.
    void nudgeSelection(double dx, double dy);
    /// Freezes the selected blocks (training leaves their weights alone), or unfreezes them when every
    /// one is frozen already: one undo step. Returns how many blocks changed (0: nothing selected).
    int toggleSelectionFrozen();
    /// Freezes block `id` and every block upstream of it (its inputs, their inputs, ...) that has not
    /// been frozen yet, as one undo step; returns how many changed.
    int freezeUpTo(const QString& id);

    /// Groups the selected blocks into a new composite `name` ("Group1", ... when empty) as one undo
    /// step and selects the instance; returns its id, or empty when refused (statusMessage says why).
    QString groupSelection(const QString& name = {});
    /// Replaces every selected composite instance by its blocks; returns how many were ungrouped.
    int ungroupSelection();
    /// The composite type of the one selected block, or empty.
    QString selectedCompositeType() const;
    /// Opens the selected instance's definition for editing; returns whether one was opened.
    bool openSelectedComposite();
    /// Saves the selected instance's (or the open) composite to `library`.
    bool saveCompositeToLibrary(const CompositeLibrary& library);
    /// Adds library composite `type` to the project (one undo step) unless it has it; returns whether it has it now.
    bool importLibraryComposite(const QString& type);
    /// Renames composite `from` to `to` (one undo step; every instance follows, and an open `from` stays
    /// open as `to`); false, with statusMessage saying why, when refused.
    bool renameComposite(const QString& from, const QString& to);
    /// Renames input (`input`) or output port `from` of the open composite (one undo step); false, with
    /// statusMessage saying why, when refused or when none is open.
    bool renameOpenCompositePort(bool input, const QString& from, const QString& to);

    /// The open composite's ports drawn on the canvas, inputs first in definition order; empty for the
    /// project's graph. Markers are remade on every change: do not keep them.
    const std::vector<CompositePortMarker*>& portMarkers() const { return portMarkers_; }
    /// The marker of input (`input`) or output port `name`, or null.
    CompositePortMarker* portMarker(bool input, const QString& name) const;

    /// Called by a BlockItem while it is dragged: its connections follow.
    void blockItemMoved(BlockItem* item);

    /// Every item shows the document's current inference: none waits for the worker or for a slice.
    bool showsCurrentShapes() const { return !document_.inferencePending() && staleItems_.empty(); }

Q_SIGNALS:
    void selectedBlocksChanged(const QStringList& ids);
    /// A short message for the status bar ("input fc.in is already connected").
    void statusMessage(const QString& text);

protected:
    bool event(QEvent* event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;

private Q_SLOTS:
    void rebuild();
    void onBlockAdded(const QString& id);
    void onBlockRemoved(const QString& id);
    void onBlockChanged(const QString& id);
    void onBlockMoved(const QString& id);
    void onConnectionAdded(const netdraft::engine::Connection& connection);
    void onConnectionRemoved(const netdraft::engine::Connection& connection);
    void onInferenceUpdated();

private:
    void updateConnectionGeometry(ConnectionItem* item) const;
    /// Block `id` now covers `rect` (empty: it is gone): remembers it for routing and, once after the
    /// command or frame, reroutes the connections whose way it entered or left.
    void blockRectChanged(const QString& id, const QRectF& rect);
    /// Asks for followChangedBlocks once the current command or event is done.
    void scheduleRouting();
    /// Routes the connections of blocks a command moved (pendingConnections_) and those whose way a
    /// block moved, grew or was removed into or out of (ConnectionItem::routeArea), each once.
    void followChangedBlocks();
    /// Queues every item for refresh with the latest inference, those in a view first.
    void queueAllItems();
    /// Applies the latest inference to queued items for at most `budgetNanoseconds`, then yields to
    /// the event loop and goes on: an edit that changes every shape of a large graph never holds up a
    /// frame.
    void refreshStaleItems(qint64 budgetNanoseconds);
    static constexpr qint64 kRefreshSliceNanoseconds = 3'000'000; ///< leaves most of a 16 ms frame for painting
    void scheduleStaleRefresh();
    void updatePortStates();
    /// Makes the port markers match the open composite's ports and places them beside the inner blocks.
    void updatePortMarkers();
    /// After a drag: pushes one MoveBlocks for the blocks whose item left the document's position.
    void commitMovedBlocks();
    /// The connection that dropping `item` where it is would splice it into: the item is unconnected,
    /// with inputs and outputs, and its centre is over a visible connection. (Callers check that it is
    /// the only block being dragged.)
    ConnectionItem* spliceTargetFor(BlockItem* item) const;
    /// Shows how dragged `block` would go into `connection` (nothing: shows nothing).
    void setSpliceHover(std::optional<engine::Connection> connection, BlockItem* block = nullptr);
    QString addBlockAtChecked(const QString& type, QPointF scenePos);
    void pasteFragment(const BlockFragment& fragment, std::optional<QPointF> anchor, const QString& text);

    GraphDocument& document_;
    std::map<QString, BlockItem*> blocks_;
    std::vector<ConnectionItem*> connections_;
    /// Where each block was when the connections last followed it, indexed by place: routing asks
    /// only the blocks near a connection, and one moving out of a connection's way straightens it.
    BlockRectIndex blockRects_;
    /// Where blocks moved, grew or were removed from and to since the connections last followed
    /// (followChangedBlocks).
    std::vector<QRectF> movedBlockRects_;
    /// Connections of blocks that a command (not the user's drag) moved: routed once, at the blocks'
    /// final places, when the command is done; routing them at every step of an Auto-Layout of 1,000
    /// blocks went around the blocks not yet moved.
    std::set<ConnectionItem*> pendingConnections_;
    bool reroutePosted_ = false;
    std::vector<CompositePortMarker*> portMarkers_; ///< the open composite's ports
    std::unique_ptr<ConnectionDrag> drag_;
    std::optional<engine::Connection> spliceHover_;
    QGraphicsPathItem* spliceGlow_ = nullptr; ///< the preview of splicing into spliceHover_
    /// Items still showing an older inference, visible ones first; a removal clears it (the removing
    /// edit's own inference requeues everything).
    std::vector<std::variant<BlockItem*, ConnectionItem*>> staleItems_;
    size_t nextStale_ = 0;
    bool refreshPosted_ = false; ///< the next slice's event is on its way
};

} // namespace netdraft::editor
