#include "editor/PortItem.h"

#include "editor/BlockGeometry.h"

#include <QCursor>
#include <QPainter>

namespace netdraft::editor {

namespace {
constexpr double kHitRadius = 10;
}

PortItem::PortItem(QString blockId, QString port, bool isInput, QGraphicsItem* parent)
    : QGraphicsItem(parent)
    , blockId_(std::move(blockId))
    , port_(std::move(port))
    , isInput_(isInput)
{
    setAcceptHoverEvents(true);
    setCursor(Qt::CrossCursor);
    setToolTip(isInput_ ? QObject::tr("Input '%1': drop a connection here").arg(port_)
                        : QObject::tr("Output '%1': drag to an input to connect").arg(port_));
    setZValue(1);
}

void PortItem::setConnected(bool connected)
{
    if (connected_ != connected) {
        connected_ = connected;
        update();
    }
}

void PortItem::setHighlight(Highlight highlight)
{
    if (highlight_ != highlight) {
        highlight_ = highlight;
        update();
    }
}

QRectF PortItem::boundingRect() const
{
    return { -kHitRadius, -kHitRadius, 2 * kHitRadius, 2 * kHitRadius };
}

QPainterPath PortItem::shape() const
{
    QPainterPath path;
    path.addEllipse(boundingRect());
    return path;
}

void PortItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    QColor ring(0x64, 0x74, 0x8B);
    QColor fill = connected_ ? ring : QColor(Qt::white);
    double radius = geometry::kPortRadius;
    if (highlight_ == Highlight::Accepts) {
        ring = fill = QColor(0x16, 0xA3, 0x4A);
        radius += 2;
    } else if (highlight_ == Highlight::Refuses) {
        ring = fill = QColor(0xDC, 0x26, 0x26);
        radius += 2;
    } else if (hovered_) {
        ring = QColor(0x25, 0x63, 0xEB);
        radius += 1.5;
    }
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(ring, 1.6));
    painter->setBrush(fill);
    painter->drawEllipse(QPointF(0, 0), radius, radius);
}

void PortItem::hoverEnterEvent(QGraphicsSceneHoverEvent*)
{
    hovered_ = true;
    update();
}

void PortItem::hoverLeaveEvent(QGraphicsSceneHoverEvent*)
{
    hovered_ = false;
    update();
}

} // namespace netdraft::editor
