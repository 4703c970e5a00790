#pragma once
// A block on the canvas: display name, type, key parameters and output shape, coloured by category,
// with its ports; a frozen block has a padlock in a greyed header; blocks with errors get a red
// outline and a badge whose tooltip lists the messages.

#include "engine/graph/Block.h"
#include "engine/inference/ShapeInference.h"

#include <QColor>
#include <QGraphicsItem>

#include <QString>
#include <optional>

#include <map>
#include <vector>

namespace netdraft::editor {

class PortItem;

/// Shows one engine::Block; it holds only what it draws and is refreshed from the document.
class BlockItem : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };

    explicit BlockItem(const engine::Block& block);

    int type() const override { return Type; }
    const QString& blockId() const { return blockId_; }

    /// Takes the block's name, parameters, position and ports, and what inference found for it.
    void refresh(const engine::Block& block, const engine::BlockInference* inference);
    /// Moves to the document's position without snapping.
    void setDocumentPosition(engine::Point position);

    PortItem* inputPort(const std::string& port) const;
    PortItem* outputPort(const std::string& port) const;
    const std::vector<PortItem*>& inputPorts() const { return inputs_; }
    const std::vector<PortItem*>& outputPorts() const { return outputs_; }
    bool hasErrors() const { return !errors_.isEmpty(); }
    /// Shown frozen: a padlock in a greyed header.
    bool isFrozen() const { return frozen_; }
    /// "lr ×0.1" across the bottom edge, left, for a block whose learning-rate factor is not 1; else empty.
    const QString& learningRateLabel() const { return learningRateLabel_; }
    const QStringList& errors() const { return errors_; }
    /// The text lines under the header ("out_channels 32", "N×32×32×32"), for tests.
    QStringList bodyLines() const;
    /// The cost figures (CostOverlay): `toolTipLines` (HTML) end the tooltip; a valid `overlay` tints
    /// the card and `figure` is shown beside the output shape; empty values clear them.
    void setCost(const QString& toolTipLines, const QColor& overlay, const QString& figure);
    /// The cost overlay's tint, invalid when the overlay is off.
    QColor overlayColor() const { return overlayColor_; }
    /// What the cost count adds whether the overlay is on or off: the parameter count shown small
    /// across the card's bottom edge ("1.31 M params"; empty for blocks without parameters) and the
    /// count's warnings (a layer holding most of the parameters), drawn like inference's warnings.
    void setParameterFigure(const QString& parameters, const QStringList& warnings);
    const QString& parameterFigure() const { return parameterFigure_; }
    /// Where the parameter count's pill is drawn, in item coordinates (empty without a count).
    QRectF parameterPillRect() const;
    QRectF learningRatePillRect() const;
    /// A training run stopped at this block (FailureMark): `tag` ("NaN", "inf") is drawn over the card's
    /// top-left corner inside a dark-red ring, and `text` is a line of the tooltip; empty values clear it.
    void setFailure(const QString& tag, const QString& text);
    bool isFailureMarked() const { return !failureTag_.isEmpty(); }
    const QString& failureText() const { return failureText_; }
    /// Where the failure tag is drawn, in item coordinates (empty without a mark).
    QRectF failureTagRect() const;
    /// Inference's warnings and the cost count's.
    QStringList warnings() const { return warnings_ + costWarnings_; }

    /// The block's own rectangle in the scene: no shadow, badge or selection margin.
    QRectF blockRect() const { return QRectF(pos(), size_); }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
    void rebuildPorts(const engine::Block& block);
    void paintBadge(QPainter* painter, const QColor& color, const QString& mark) const;
    void paintLock(QPainter* painter, QPointF leftCentre) const;
    void paintParameterPill(QPainter* painter) const;
    void paintLearningRatePill(QPainter* painter) const;
    void paintFailure(QPainter* painter) const;
    /// baseToolTip_, one amber line per warning (inference's and the cost count's), the cost lines.
    void updateToolTip();

    QString blockId_;
    QString title_;
    QString typeName_;
    QColor color_;
    bool frozen_ = false;
    QString learningRateLabel_;
    std::vector<std::pair<QString, QString>> params_;
    QString shape_;
    QStringList errors_;
    QStringList warnings_;
    QString baseToolTip_; ///< name, type, errors; updateToolTip adds the warnings and the cost lines
    QString costToolTip_;
    QColor overlayColor_;
    QString overlayFigure_;
    QString parameterFigure_;
    QStringList costWarnings_;
    QString failureTag_;
    QString failureText_;
    QSizeF size_;
    std::vector<PortItem*> inputs_;
    std::vector<PortItem*> outputs_;
    bool followingDocument_ = false;
    QString shownState_; ///< everything refresh() shows, to skip refreshes that change nothing
    engine::Block shownBlock_; ///< what the last refresh() was given: equal input skips even building shownState_
    std::optional<engine::BlockInference> shownInference_;
};

} // namespace netdraft::editor
