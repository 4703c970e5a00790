#include "editor/Minimap.h"

#include <QMouseEvent>
#include <QScrollBar>

namespace netdraft::editor {

Minimap::Minimap(QGraphicsView* mainView)
    : QGraphicsView(mainView->scene(), mainView)
    , mainView_(mainView)
{
    setObjectName("minimap");
    setInteractive(false);
    setRenderHints(QPainter::Antialiasing);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setViewportUpdateMode(QGraphicsView::NoViewportUpdate); // repainted by refit() only
    setFocusPolicy(Qt::NoFocus);
    setFrameShape(QFrame::Box);
    setStyleSheet("QGraphicsView#minimap { border: 1px solid palette(mid); background: palette(base); }");
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Overview: click or drag to move the view"));
    refitTimer_.setSingleShot(true);
    refitTimer_.setInterval(100);
    connect(&refitTimer_, &QTimer::timeout, this, &Minimap::refit);
    connect(scene(), &QGraphicsScene::changed, this, &Minimap::scheduleRefit);
    connect(mainView_->horizontalScrollBar(), &QScrollBar::valueChanged, this, &Minimap::scheduleRefit);
    connect(mainView_->verticalScrollBar(), &QScrollBar::valueChanged, this, &Minimap::scheduleRefit);
}

QRectF Minimap::visibleSceneRect() const
{
    return mainView_->mapToScene(mainView_->viewport()->rect()).boundingRect();
}

void Minimap::scheduleRefit()
{
    if (isVisible() && !refitTimer_.isActive())
        refitTimer_.start();
}

void Minimap::refit()
{
    QRectF bounds = scene()->itemsBoundingRect().united(visibleSceneRect());
    bounds.adjust(-40, -40, 40, 40);
    setSceneRect(bounds);
    fitInView(bounds, Qt::KeepAspectRatio);
    viewport()->update();
}

void Minimap::showEvent(QShowEvent* event)
{
    QGraphicsView::showEvent(event);
    refit();
}

void Minimap::drawForeground(QPainter* painter, const QRectF& rect)
{
    Q_UNUSED(rect);
    const QRectF visible = visibleSceneRect();
    QColor fill = palette().color(QPalette::Highlight);
    fill.setAlpha(40);
    painter->setBrush(fill);
    QPen pen(palette().color(QPalette::Highlight), 0); // cosmetic: one pixel at any scale
    painter->setPen(pen);
    painter->drawRect(visible);
}

void Minimap::centreMainViewAt(QPoint minimapPos)
{
    mainView_->centerOn(mapToScene(minimapPos));
    refit();
}

void Minimap::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    dragging_ = true;
    centreMainViewAt(event->pos());
    event->accept();
}

void Minimap::mouseMoveEvent(QMouseEvent* event)
{
    if (dragging_)
        centreMainViewAt(event->pos());
    event->accept();
}

void Minimap::mouseReleaseEvent(QMouseEvent* event)
{
    dragging_ = false;
    event->accept();
}

void Minimap::wheelEvent(QWheelEvent* event)
{
    event->ignore(); // no zooming in the overview
}

} // namespace netdraft::editor
