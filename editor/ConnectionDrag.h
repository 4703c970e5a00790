#pragma once
// The gesture of dragging a connection from an output port (or picking up the end of an existing
// one from an input port): a rubber-band curve that shows whether the port under it accepts.

#include "engine/graph/Block.h"

#include <QPointF>
#include <QString>

#include <optional>

class QGraphicsPathItem;
class QGraphicsTextItem;

namespace netdraft::editor {

class GraphScene;
class PortItem;

/// Lives from mouse press to mouse release; on release pushes Connect, or Disconnect + Connect as one
/// step where it picks up a connection's end or drops onto an input that is connected already (the
/// old connection is replaced).
class ConnectionDrag {
public:
    /// `replacing`: the connection whose input end was picked up; it is hidden while dragging.
    ConnectionDrag(GraphScene& scene, engine::PortRef from, std::optional<engine::Connection> replacing);
    ~ConnectionDrag();
    ConnectionDrag(const ConnectionDrag&) = delete;
    ConnectionDrag& operator=(const ConnectionDrag&) = delete;

    void moveTo(QPointF scenePos);
    /// Applies the gesture: connects, reconnects, detaches, or reports why it was refused.
    void finish(QPointF scenePos);

private:
    struct Target {
        std::optional<engine::Connection> connection; ///< what would be connected
        std::optional<QString> refusal; ///< why it may not be
        std::optional<engine::Connection> displaced; ///< the input's connection that it replaces
        PortItem* port = nullptr; ///< the port to highlight
    };
    Target targetAt(QPointF scenePos) const;
    void setHighlight(PortItem* port, bool accepts);

    GraphScene& scene_;
    engine::PortRef from_;
    std::optional<engine::Connection> replacing_;
    QGraphicsPathItem* curve_;
    QGraphicsTextItem* reason_;
    PortItem* highlighted_ = nullptr;
};

} // namespace netdraft::editor
