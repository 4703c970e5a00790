#pragma once
// A connection on the canvas: a cubic curve from an output port to an input port, labelled with
// the shape of the tensor it carries.

#include "engine/graph/Block.h"

#include <QGraphicsItem>
#include <QPainterPath>

#include <vector>

namespace netdraft::editor {

/// The path for a connection between two scene points, bending horizontally out of the ports.
QPainterPath connectionPath(QPointF from, QPointF to);

/// Selectable (Delete disconnects); the scene sets its end points and label.
class ConnectionItem : public QGraphicsItem {
public:
    enum { Type = UserType + 3 };

    explicit ConnectionItem(engine::Connection connection);

    int type() const override { return Type; }
    const engine::Connection& connection() const { return connection_; }

    void setEnds(QPointF from, QPointF to);
    /// Sets the ends and routes the path around `obstacles`, the rectangles of other blocks it would
    /// cross, and `ends`, its own blocks' (routeConnection).
    void setEnds(QPointF from, QPointF to, const std::vector<QRectF>& obstacles, const std::vector<QRectF>& ends);
    /// Whether the path leaves the plain curve to pass around blocks.
    bool isDetour() const { return detour_; }
    /// Where a block moving into or out of would change the route: the plain curve's and the path's
    /// bounds.
    QRectF routeArea() const { return routeArea_; }
    const QPainterPath& path() const { return path_; }
    /// "N×64×16×16"; empty hides the label.
    void setLabel(const QString& label);
    const QString& label() const { return label_; }
    /// Where the label is drawn; empty when there is none or no room for it between the blocks (the
    /// tooltip still says the shape).
    QRectF labelRect() const { return labelRect_; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    /// Caches the label's and the item's rectangles: the scene asks for them on every repaint.
    void updateBounds();

    engine::Connection connection_;
    QPainterPath path_;
    QPointF from_;
    QPointF to_;
    bool hasEnds_ = false;
    bool detour_ = false;
    QRectF routeArea_;
    QString label_;
    QRectF labelRect_;
    QRectF bounds_;
};

} // namespace netdraft::editor
