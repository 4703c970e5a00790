#pragma once
// An overview of the whole scene in a corner of the canvas, with the visible rectangle; clicking or
// dragging in it moves the main view there.

#include <QGraphicsView>
#include <QTimer>

namespace netdraft::editor {

/// A small second view of the main view's scene. It repaints at most every 100 ms (after scene
/// changes or scrolling), so that a drag on a large graph does not pay for two full repaints.
class Minimap : public QGraphicsView {
    Q_OBJECT
public:
    explicit Minimap(QGraphicsView* mainView);

    /// The part of the scene the main view shows, in scene coordinates.
    QRectF visibleSceneRect() const;
    /// Refits the overview to everything in the scene (and the visible rectangle) now.
    void refit();

protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void scheduleRefit();
    void centreMainViewAt(QPoint minimapPos);

    QGraphicsView* mainView_;
    QTimer refitTimer_;
    bool dragging_ = false;
};

} // namespace netdraft::editor
