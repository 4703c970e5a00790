#pragma once
// A port of the open composite drawn on its canvas: a named tag left (input) or right (output) of the
// inner blocks, with a line to each inner port behind it. Read-only: the scene redraws it from the
// definition.

#include <QGraphicsItem>
#include <QPainterPath>

#include <vector>

namespace netdraft::editor {

/// One input or output port of the composite being edited (GraphScene::portMarkers()).
class CompositePortMarker : public QGraphicsItem {
public:
    enum { Type = UserType + 4 };

    CompositePortMarker(bool isInput, const QString& name);
    int type() const override { return Type; }

    bool isInput() const { return isInput_; }
    const QString& name() const { return name_; }
    /// Places the tag with its line end at `anchor` and draws a line to each of `ends` (scene coordinates).
    void setGeometry(QPointF anchor, const std::vector<QPointF>& ends);
    /// The scene ends of the lines (inner ports).
    const std::vector<QPointF>& lineEnds() const { return ends_; }
    /// The tag alone (the lines are not clickable).
    QRectF tagRect() const { return tag_; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    bool isInput_;
    QString name_;
    QRectF tag_; ///< item coordinates; the anchor is the item's origin
    std::vector<QPointF> ends_; ///< scene coordinates
    QPainterPath lines_; ///< item coordinates
    QRectF bounds_;
};

} // namespace netdraft::editor
