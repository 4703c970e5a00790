#pragma once
// A block's input or output port on the canvas: where connections start and end.

#include <QGraphicsItem>
#include <QString>

namespace netdraft::editor {

/// A small circle on the block's edge; a child of its BlockItem.
class PortItem : public QGraphicsItem {
public:
    enum { Type = UserType + 2 };
    enum class Highlight { None, Accepts, Refuses };

    PortItem(QString blockId, QString port, bool isInput, QGraphicsItem* parent);

    int type() const override { return Type; }
    const QString& blockId() const { return blockId_; }
    const QString& port() const { return port_; }
    bool isInput() const { return isInput_; }

    void setConnected(bool connected);
    bool isConnected() const { return connected_; }
    void setHighlight(Highlight highlight);

    QRectF boundingRect() const override;
    /// Larger than the drawn circle so that ports are easy to hit.
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent* event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent* event) override;

private:
    QString blockId_;
    QString port_;
    bool isInput_;
    bool connected_ = false;
    bool hovered_ = false;
    Highlight highlight_ = Highlight::None;
};

} // namespace netdraft::editor
