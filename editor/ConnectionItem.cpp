#include "editor/ConnectionItem.h"

#include "editor/ConnectionRouting.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

namespace netdraft::editor {

namespace {
QFont labelFont()
{
    QFont font;
    font.setPointSizeF(8);
    return font;
}
} // namespace

QPainterPath connectionPath(QPointF from, QPointF to)
{
    QPainterPath path(from);
    const double dx = to.x() - from.x();
    if (dx >= 0 || std::abs(to.y() - from.y()) < 60) {
        const double bend = std::max(40.0, std::abs(dx) / 2); // a smooth S over half the distance
        path.cubicTo(from + QPointF(bend, 0), to - QPointF(bend, 0), to);
        return path;
    }
    // Backward, e.g. to the start of the next row: out to the right, back along the gap halfway
    // between the ports, and into the input from the left, instead of a diagonal across blocks.
    const double middleY = (from.y() + to.y()) / 2, reach = 30;
    path.cubicTo(
        from + QPointF(2 * reach, 0), QPointF(from.x() + 2 * reach, middleY), QPointF(from.x() + reach, middleY));
    path.lineTo(to.x() - reach, middleY);
    path.cubicTo(QPointF(to.x() - 2 * reach, middleY), to - QPointF(2 * reach, 0), to);
    return path;
}

ConnectionItem::ConnectionItem(engine::Connection connection)
    : connection_(std::move(connection))
{
    setFlag(ItemIsSelectable);
    setZValue(-1); // under the blocks
    setToolTip(QString::fromStdString(engine::describeConnection(connection_)));
}

void ConnectionItem::setEnds(QPointF from, QPointF to)
{
    setEnds(from, to, {}, {});
}

void ConnectionItem::setEnds(
    QPointF from, QPointF to, const std::vector<QRectF>& obstacles, const std::vector<QRectF>& ends)
{
    if (hasEnds_ && from == from_ && to == to_ && obstacles.empty() && !detour_)
        return; // unchanged: no geometry change, no re-index
    const QPainterPath plain = connectionPath(from, to);
    QPainterPath path = obstacles.empty() ? plain : routeConnection(from, to, obstacles, ends);
    if (hasEnds_ && from == from_ && to == to_ && path == path_)
        return;
    prepareGeometryChange();
    from_ = from;
    to_ = to;
    hasEnds_ = true;
    detour_ = path != plain;
    routeArea_ = plain.boundingRect().united(path.boundingRect()).adjusted(-1, -1, 1, 1);
    path_ = std::move(path);
    updateBounds();
}

void ConnectionItem::setLabel(const QString& label)
{
    if (label == label_)
        return;
    prepareGeometryChange();
    label_ = label;
    updateBounds();
}

void ConnectionItem::updateBounds()
{
    labelRect_ = {};
    if (!label_.isEmpty()) {
        const QSizeF text = QFontMetricsF(labelFont()).size(Qt::TextSingleLine, label_);
        const QSizeF size(text.width() + 12, text.height() + 4);
        const QPointF middle = path_.pointAtPercent(0.5);
        // Between two blocks placed close side by side the label would lie under them, cut to a
        // fragment ("2×32"): then the shape is only in the tooltip.
        const double gap = to_.x() - from_.x();
        const bool fits = gap < 0 || gap >= size.width() + 8;
        if (fits)
            labelRect_ = { middle - QPointF(size.width() / 2, size.height() / 2), size };
    }
    setToolTip(
        label_.isEmpty() ? QString() : QCoreApplication::translate("ConnectionItem", "Tensor shape: %1").arg(label_));
    bounds_ = path_.boundingRect().adjusted(-4, -4, 4, 4).united(labelRect_.adjusted(-1, -1, 1, 1));
}

QRectF ConnectionItem::boundingRect() const
{
    return bounds_;
}

QPainterPath ConnectionItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(12);
    QPainterPath hit = stroker.createStroke(path_);
    if (!labelRect_.isEmpty())
        hit.addRect(labelRect());
    return hit;
}

void ConnectionItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    const QColor color = isSelected() ? QColor(0x25, 0x63, 0xEB) : QColor(0x94, 0xA3, 0xB8);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(color, isSelected() ? 2.6 : 2, Qt::SolidLine, Qt::RoundCap));
    painter->drawPath(path_);
    if (labelRect_.isEmpty())
        return;
    const QRectF rect = labelRect();
    painter->setPen(QPen(isSelected() ? color : QColor(0xCB, 0xD5, 0xE1), 1));
    painter->setBrush(QColor(0xFF, 0xFF, 0xFF));
    painter->drawRoundedRect(rect, rect.height() / 2, rect.height() / 2);
    painter->setFont(labelFont());
    painter->setPen(QColor(0x33, 0x41, 0x55));
    painter->drawText(rect, Qt::AlignCenter, label_);
}

} // namespace netdraft::editor
