#include "editor/CompositePortMarker.h"

#include "editor/ConnectionItem.h"

#include <QFontMetricsF>
#include <QPainter>

namespace netdraft::editor {

namespace {

QFont tagFont()
{
    QFont font;
    font.setPointSizeF(9);
    font.setBold(true);
    return font;
}

constexpr double kTagHeight = 26;
constexpr double kDotRadius = 5;

} // namespace

CompositePortMarker::CompositePortMarker(bool isInput, const QString& name)
    : isInput_(isInput)
    , name_(name)
{
    setZValue(-0.5); // over connections, under blocks
    setAcceptHoverEvents(false);
    const double width = QFontMetricsF(tagFont()).horizontalAdvance(name) + 34;
    // The anchor (origin) is the dot at the end of the tag that faces the blocks.
    const double inset = kTagHeight / 2;
    tag_ = isInput ? QRectF(inset - width, -inset, width, kTagHeight) : QRectF(-inset, -inset, width, kTagHeight);
    bounds_ = tag_.adjusted(-2, -2, 2, 2);
    setToolTip(isInput ? QObject::tr("Input port '%1' of the composite: double-click to rename").arg(name)
                       : QObject::tr("Output port '%1' of the composite: double-click to rename").arg(name));
}

void CompositePortMarker::setGeometry(QPointF anchor, const std::vector<QPointF>& ends)
{
    if (anchor == pos() && ends == ends_)
        return;
    prepareGeometryChange();
    setPos(anchor);
    ends_ = ends;
    lines_ = QPainterPath();
    for (const QPointF& end : ends) {
        const QPointF local = end - anchor;
        lines_.addPath(isInput_ ? connectionPath({}, local) : connectionPath(local, {}));
    }
    bounds_ = tag_.united(lines_.boundingRect()).adjusted(-3, -3, 3, 3);
}

QRectF CompositePortMarker::boundingRect() const
{
    return bounds_;
}

QPainterPath CompositePortMarker::shape() const
{
    QPainterPath path;
    path.addRoundedRect(tag_, kTagHeight / 2, kTagHeight / 2);
    return path;
}

void CompositePortMarker::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    const QColor ink(0x3B, 0x4A, 0x5E);
    painter->setRenderHint(QPainter::Antialiasing);
    QPen line(QColor(0x5B, 0x6B, 0x82), 1.6, Qt::DashLine);
    painter->setPen(line);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(lines_);

    painter->setPen(Qt::NoPen);
    painter->setBrush(ink);
    painter->drawRoundedRect(tag_, kTagHeight / 2, kTagHeight / 2);
    painter->setBrush(QColor(0xF4, 0xF6, 0xF9));
    painter->drawEllipse(QPointF(0, 0), kDotRadius, kDotRadius);
    painter->setPen(Qt::white);
    painter->setFont(tagFont());
    const QRectF text = isInput_ ? tag_.adjusted(10, 0, -24, 0) : tag_.adjusted(24, 0, -10, 0);
    painter->drawText(text, Qt::AlignCenter, name_);
}

} // namespace netdraft::editor
