#include "editor/BlockItem.h"

#include "editor/BlockFaceText.h"
#include "editor/BlockGeometry.h"
#include "editor/CategoryColors.h"
#include "editor/GraphScene.h"
#include "editor/PortItem.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace netdraft::editor {

namespace {
const QColor kErrorColor(0xDC, 0x26, 0x26);
const QColor kWarningColor(0xD9, 0x77, 0x06);
const QColor kSelectionColor(0x25, 0x63, 0xEB);
const QColor kFailureColor(0x7F, 0x1D, 0x1D); ///< darker than an error's red, and drawn as a ring outside the card
constexpr double kRadius = 6;
constexpr double kBadgeRadius = 9;
constexpr double kLockWidth = 9;
constexpr double kPillHeight = 16; ///< the parameter count across the bottom edge (8 pt text)
constexpr double kFailureRing = 5; ///< how far the failure ring lies outside the card
constexpr double kFailureTagHeight = 20;

QFont font(double points, bool bold = false)
{
    QFont f;
    f.setPointSizeF(points);
    f.setBold(bold);
    return f;
}

/// The graph whose composite definitions give `item` its ports: its scene's document (none before it
/// is added to a scene).
const engine::Graph& definitionsOf(const QGraphicsItem& item)
{
    static const engine::Graph none;
    const auto* scene = dynamic_cast<const GraphScene*>(item.scene());
    return scene ? scene->document().graph() : none;
}

QStringList toQStringList(const std::vector<std::string>& lines)
{
    QStringList list;
    for (const std::string& line : lines)
        list << QString::fromStdString(line);
    return list;
}
} // namespace

BlockItem::BlockItem(const engine::Block& block)
    : blockId_(QString::fromStdString(block.id))
{
    setFlags(ItemIsSelectable | ItemIsMovable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    refresh(block, nullptr);
    setDocumentPosition(block.position);
}

void BlockItem::refresh(const engine::Block& block, const engine::BlockInference* inference)
{
    const engine::Graph& definitions = definitionsOf(*this);
    const bool sameInference = inference ? shownInference_ && *shownInference_ == *inference : !shownInference_;
    if (!shownState_.isEmpty() && sameInference && block == shownBlock_
        && !geometry::isCompositeType(
            block.type, definitions)) // a composite's ports and summary live in its definition
        return;
    shownBlock_ = block;
    shownInference_ = inference ? std::optional<engine::BlockInference>(*inference) : std::nullopt;
    std::vector<std::pair<QString, QString>> params = faceParameters(block, inference, &definitions);
    if (const std::string inside = geometry::compositeSummary(block.type, definitions); !inside.empty())
        params.emplace_back(QStringLiteral("inside"), QString::fromStdString(inside));
    const QString shape
        = inference && inference->output ? QString::fromStdString(inference->output->toString()) : QStringLiteral("?");
    const QStringList errors = inference ? toQStringList(inference->errors) : QStringList();
    const QStringList warnings = inference ? toQStringList(inference->warnings) : QStringList();
    // After every edit the scene refreshes all blocks; on large graphs most show the same as before.
    QString state = QString::fromStdString(block.displayName() + "\n" + block.type) + "\n" + shape
        + (block.frozen ? QStringLiteral("\nfrozen") : QString()) + "\nlr" + QString::number(block.learningRateScale);
    for (const auto& [name, value] : params)
        state += "\n" + name + "=" + value;
    state += "\n" + errors.join("\n") + "\n" + warnings.join("\n");
    for (const std::string& port : geometry::inputPorts(block, definitions))
        state += QStringLiteral("\n<") + QString::fromStdString(port);
    for (const std::string& port : geometry::outputPorts(block, definitions))
        state += QStringLiteral("\n>") + QString::fromStdString(port);
    if (state == shownState_)
        return;
    shownState_ = state;

    prepareGeometryChange();
    title_ = QString::fromStdString(block.displayName());
    typeName_ = QString::fromStdString(block.type);
    frozen_ = block.frozen;
    learningRateLabel_ = block.learningRateScale != 1.0
        ? QStringLiteral("lr \u00d7%1").arg(QString::number(block.learningRateScale, 'g', 3))
        : QString();
    color_ = layerTypeColor(block.type, definitions);
    if (frozen_) // greyed: a frozen block stands back from the ones that train
        color_ = QColor((color_.red() + 2 * 0x94) / 3, (color_.green() + 2 * 0xA3) / 3, (color_.blue() + 2 * 0xB8) / 3);
    size_ = geometry::blockSize(block, definitions);
    params_ = std::move(params);
    shape_ = shape;
    errors_ = errors;
    warnings_ = warnings;

    QString tip = QStringLiteral("<b>%1</b> (%2)").arg(title_.toHtmlEscaped(), typeName_);
    if (block.displayName() != block.id) // the id, where it says more: "features2 (Conv2d, id conv2)"
        tip = QStringLiteral("<b>%1</b> (%2, id %3)").arg(title_.toHtmlEscaped(), typeName_, blockId_);
    if (frozen_)
        tip += QStringLiteral("<br>&#128274; ")
            + QCoreApplication::translate("BlockItem", "Frozen: training leaves its weights alone");
    if (block.learningRateScale != 1.0)
        tip += QStringLiteral("<br>")
            + QCoreApplication::translate("BlockItem", "Learning rate \u00d7 %1 (of the run's rate)")
                  .arg(block.learningRateScale);
    for (const QString& error : errors_)
        tip += QStringLiteral("<br><span style='color:#DC2626'>&#9888; %1</span>").arg(error.toHtmlEscaped());
    baseToolTip_ = tip;
    updateToolTip();
    rebuildPorts(block);
    update();
}

void BlockItem::rebuildPorts(const engine::Block& block)
{
    const engine::Graph& definitions = definitionsOf(*this);
    const auto inputs = geometry::inputPorts(block, definitions);
    const auto outputs = geometry::outputPorts(block, definitions);
    auto samePorts = [](const std::vector<PortItem*>& items, const std::vector<std::string>& names) {
        if (items.size() != names.size())
            return false;
        for (size_t i = 0; i < names.size(); ++i)
            if (items[i]->port().toStdString() != names[i])
                return false;
        return true;
    };
    if (!samePorts(inputs_, inputs)) {
        qDeleteAll(inputs_);
        inputs_.clear();
        for (const std::string& name : inputs)
            inputs_.push_back(new PortItem(blockId_, QString::fromStdString(name), true, this));
    }
    if (!samePorts(outputs_, outputs)) {
        qDeleteAll(outputs_);
        outputs_.clear();
        for (const std::string& name : outputs)
            outputs_.push_back(new PortItem(blockId_, QString::fromStdString(name), false, this));
    }
    for (size_t i = 0; i < inputs_.size(); ++i)
        inputs_[i]->setPos(geometry::inputPortPosition(block, i, definitions));
    for (size_t i = 0; i < outputs_.size(); ++i)
        outputs_[i]->setPos(geometry::outputPortPosition(block, i, definitions));
}

void BlockItem::setCost(const QString& toolTipLines, const QColor& overlay, const QString& figure)
{
    if (toolTipLines == costToolTip_ && overlay == overlayColor_ && figure == overlayFigure_)
        return;
    costToolTip_ = toolTipLines;
    overlayColor_ = overlay;
    overlayFigure_ = figure;
    updateToolTip();
    update();
}

void BlockItem::setParameterFigure(const QString& parameters, const QStringList& warnings)
{
    if (parameters == parameterFigure_ && warnings == costWarnings_)
        return;
    parameterFigure_ = parameters;
    costWarnings_ = warnings;
    updateToolTip();
    update();
}

void BlockItem::setFailure(const QString& tag, const QString& text)
{
    if (tag == failureTag_ && text == failureText_)
        return;
    prepareGeometryChange(); // the ring and the tag widen the bounding rectangle
    failureTag_ = tag;
    failureText_ = text;
    updateToolTip();
    update();
}

QRectF BlockItem::failureTagRect() const
{
    if (failureTag_.isEmpty())
        return {};
    const double width = QFontMetricsF(font(9, true)).horizontalAdvance(failureTag_) + 14;
    return QRectF(-kFailureRing - 4, -kFailureTagHeight / 2 - kFailureRing, width, kFailureTagHeight);
}

void BlockItem::updateToolTip()
{
    QString tip = baseToolTip_;
    if (!failureText_.isEmpty())
        tip += QStringLiteral("<br><b style='color:#7F1D1D'>&#9632; %1</b>").arg(failureText_.toHtmlEscaped());
    for (const QString& warning : warnings()) // inference's, then the cost count's: one amber line each
        tip += QStringLiteral("<br><span style='color:#B45309'>&#9888; %1</span>").arg(warning.toHtmlEscaped());
    setToolTip(tip + costToolTip_);
}

void BlockItem::setDocumentPosition(engine::Point position)
{
    followingDocument_ = true;
    setPos(position.x, position.y);
    followingDocument_ = false;
}

PortItem* BlockItem::inputPort(const std::string& port) const
{
    for (PortItem* item : inputs_)
        if (item->port().toStdString() == port)
            return item;
    return nullptr;
}

PortItem* BlockItem::outputPort(const std::string& port) const
{
    for (PortItem* item : outputs_)
        if (item->port().toStdString() == port)
            return item;
    return nullptr;
}

QStringList BlockItem::bodyLines() const
{
    QStringList lines;
    for (const auto& [name, value] : params_)
        lines << name + QLatin1Char(' ') + value;
    lines << shape_;
    return lines;
}

QRectF BlockItem::boundingRect() const
{
    // Room for the selection outline, the shadow, the badge over the top-right corner and the
    // parameter count's pill across the bottom edge.
    const QRectF around
        = QRectF(QPointF(0, 0), size_).adjusted(-3, -kBadgeRadius - 2, kBadgeRadius + 2, kPillHeight / 2 + 2);
    if (failureTag_.isEmpty())
        return around;
    const double glow = kFailureRing + 5;
    return around.united(QRectF(QPointF(0, 0), size_).adjusted(-glow, -glow, glow, glow))
        .united(failureTagRect().adjusted(-1, -1, 1, 1));
}

QPainterPath BlockItem::shape() const
{
    QPainterPath path;
    path.addRoundedRect(QRectF(QPointF(0, 0), size_), kRadius, kRadius);
    return path;
}

void BlockItem::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*)
{
    painter->setRenderHint(QPainter::Antialiasing);
    const QRectF body(QPointF(0, 0), size_);

    if (!failureTag_.isEmpty()) { // a pale red glow under the failure ring (paintFailure)
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xFE, 0xCA, 0xCA));
        const double glow = kFailureRing + 4;
        painter->drawRoundedRect(body.adjusted(-glow, -glow, glow, glow), kRadius + glow, kRadius + glow);
    }
    // Soft shadow, then the white card with the coloured header band.
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(15, 23, 42, 28));
    painter->drawRoundedRect(body.translated(0, 2.5), kRadius, kRadius);
    painter->setBrush(overlayColor_.isValid() ? overlayColor_ : QColor(Qt::white));
    painter->drawRoundedRect(body, kRadius, kRadius);
    QPainterPath header;
    header.addRoundedRect(QRectF(0, 0, size_.width(), geometry::kHeaderHeight), kRadius, kRadius);
    QPainterPath bottomCorners;
    bottomCorners.addRect(0, geometry::kHeaderHeight - kRadius, size_.width(), kRadius);
    painter->setBrush(color_);
    painter->drawPath(header.united(bottomCorners));

    const double margin = 10;
    const QRectF headerText(margin, 0, size_.width() - 2 * margin, geometry::kHeaderHeight);
    painter->setFont(geometry::typeFont()); // the fonts the block's width was measured with
    const QFontMetricsF typeMetrics(painter->font());
    const double typeWidth = typeName_ != title_ ? typeMetrics.horizontalAdvance(typeName_) : 0;
    if (typeWidth > 0) {
        painter->setPen(QColor(255, 255, 255, 200));
        painter->drawText(headerText, Qt::AlignRight | Qt::AlignVCenter, typeName_);
    }
    QRectF titleText = headerText;
    if (frozen_) {
        paintLock(painter, QPointF(margin, geometry::kHeaderHeight / 2));
        titleText.setLeft(margin + kLockWidth + 5);
    }
    painter->setFont(geometry::titleFont());
    painter->setPen(Qt::white);
    const QString title = QFontMetricsF(painter->font())
                              .elidedText(title_, Qt::ElideRight, titleText.width() - typeWidth - geometry::kTitleGap);
    painter->drawText(titleText, Qt::AlignLeft | Qt::AlignVCenter, title);

    // Key parameters: name left in grey, value right in dark.
    double y = geometry::kHeaderHeight + geometry::kBodyPadding;
    const QRectF lineRect(margin, 0, size_.width() - 2 * margin, geometry::kLineHeight);
    painter->setFont(geometry::parameterLineFont());
    for (const auto& [name, value] : params_) {
        const QRectF line = lineRect.translated(0, y);
        // Darker on a cost tint, which the light grey would not stand out from.
        painter->setPen(overlayColor_.isValid() ? QColor(0x33, 0x41, 0x55) : QColor(0x64, 0x74, 0x8B));
        painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter, name);
        painter->setPen(QColor(0x0F, 0x17, 0x2A));
        painter->drawText(line, Qt::AlignRight | Qt::AlignVCenter, value);
        y += geometry::kLineHeight;
    }
    // Output shape, the line users look for most.
    painter->setFont(font(8.5, true));
    painter->setPen(hasErrors() ? kErrorColor : color_.darker(125));
    painter->drawText(lineRect.translated(0, y), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("\u2192 ") + shape_);
    if (!overlayFigure_.isEmpty()) { // the overlay's figure, right of the shape when both fit
        const QRectF line = lineRect.translated(0, y);
        const double shapeWidth = QFontMetricsF(painter->font()).horizontalAdvance(QStringLiteral("\u2192 ") + shape_);
        painter->setPen(QColor(0x0F, 0x17, 0x2A));
        if (QFontMetricsF(painter->font()).horizontalAdvance(overlayFigure_) + shapeWidth + 6 < line.width())
            painter->drawText(line, Qt::AlignRight | Qt::AlignVCenter, overlayFigure_);
    }

    // Outline: selection blue, errors red, warnings amber, otherwise a hairline.
    QPen outline(QColor(0xCB, 0xD5, 0xE1), 1);
    if (hasErrors())
        outline = QPen(kErrorColor, 2);
    else if (!warnings_.isEmpty() || !costWarnings_.isEmpty())
        outline = QPen(kWarningColor, 2);
    if (isSelected())
        outline = QPen(hasErrors() ? kErrorColor : kSelectionColor, 2.5);
    painter->setPen(outline);
    painter->setBrush(Qt::NoBrush);
    painter->drawRoundedRect(body, kRadius, kRadius);
    if (isSelected() && hasErrors()) {
        painter->setPen(QPen(kSelectionColor, 1.5, Qt::DashLine));
        painter->drawRoundedRect(body.adjusted(-3, -3, 3, 3), kRadius + 2, kRadius + 2);
    }
    if (hasErrors())
        paintBadge(painter, kErrorColor, QStringLiteral("!"));
    else if (!warnings_.isEmpty() || !costWarnings_.isEmpty())
        paintBadge(painter, kWarningColor, QStringLiteral("!"));
    if (!parameterFigure_.isEmpty())
        paintParameterPill(painter);
    if (!learningRateLabel_.isEmpty())
        paintLearningRatePill(painter);
    if (!failureTag_.isEmpty())
        paintFailure(painter);
}

void BlockItem::paintFailure(QPainter* painter) const
{
    // A ring outside the card (an error's outline is on it) and a tag saying what the block gave.
    const QRectF body(QPointF(0, 0), size_);
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(kFailureColor, 3));
    painter->drawRoundedRect(body.adjusted(-kFailureRing, -kFailureRing, kFailureRing, kFailureRing),
        kRadius + kFailureRing, kRadius + kFailureRing);
    const QRectF tag = failureTagRect();
    painter->setPen(QPen(Qt::white, 1.5));
    painter->setBrush(kFailureColor);
    painter->drawRoundedRect(tag, kFailureTagHeight / 2, kFailureTagHeight / 2);
    painter->setPen(Qt::white);
    painter->setFont(font(9, true));
    painter->drawText(tag, Qt::AlignCenter, failureTag_);
}

QRectF BlockItem::parameterPillRect() const
{
    if (parameterFigure_.isEmpty())
        return {};
    const double width = QFontMetricsF(geometry::parameterCountFont()).horizontalAdvance(parameterFigure_) + 10;
    return QRectF(size_.width() - 10 - width, size_.height() - kPillHeight / 2, width, kPillHeight);
}

void BlockItem::paintParameterPill(QPainter* painter) const
{
    // A label across the card's bottom edge, right-aligned: the shape line has no room for it
    // beside a convolution's shape, and the card's height is the auto-layout's.
    painter->setFont(geometry::parameterCountFont());
    const QRectF pill = parameterPillRect();
    const bool warned = !costWarnings_.isEmpty();
    painter->setPen(QPen(warned ? kWarningColor : QColor(0xCB, 0xD5, 0xE1), 1));
    painter->setBrush(warned ? QColor(0xFF, 0xF7, 0xED) : QColor(Qt::white));
    painter->drawRoundedRect(pill, kPillHeight / 2, kPillHeight / 2);
    painter->setPen(warned ? QColor(0xB4, 0x53, 0x09) : QColor(0x47, 0x55, 0x69));
    painter->drawText(pill, Qt::AlignCenter, parameterFigure_);
}

QRectF BlockItem::learningRatePillRect() const
{
    if (learningRateLabel_.isEmpty())
        return {};
    const double width = QFontMetricsF(geometry::parameterCountFont()).horizontalAdvance(learningRateLabel_) + 10;
    return QRectF(10, size_.height() - kPillHeight / 2, width, kPillHeight);
}

void BlockItem::paintLearningRatePill(QPainter* painter) const
{
    // Left on the bottom edge, across from the parameter count: the factor is about those parameters.
    painter->setFont(geometry::parameterCountFont());
    const QRectF pill = learningRatePillRect();
    painter->setPen(QPen(QColor(0x0D, 0x94, 0x88), 1));
    painter->setBrush(QColor(0xF0, 0xFD, 0xFA));
    painter->drawRoundedRect(pill, kPillHeight / 2, kPillHeight / 2);
    painter->setPen(QColor(0x0F, 0x76, 0x6E));
    painter->drawText(pill, Qt::AlignCenter, learningRateLabel_);
}

void BlockItem::paintLock(QPainter* painter, QPointF leftCentre) const
{
    // A padlock: a shackle (an arch) over a filled body, drawn so that no font needs the glyph.
    painter->save();
    const QRectF body(leftCentre.x(), leftCentre.y() - 1, kLockWidth, kLockWidth * 0.8);
    painter->setPen(QPen(Qt::white, 1.6));
    painter->setBrush(Qt::NoBrush);
    const double shackle = kLockWidth * 0.62;
    painter->drawArc(
        QRectF(body.center().x() - shackle / 2, body.top() - shackle * 0.75, shackle, shackle * 1.2), 0, 180 * 16);
    painter->setPen(Qt::NoPen);
    painter->setBrush(Qt::white);
    painter->drawRoundedRect(body, 1.5, 1.5);
    painter->restore();
}

void BlockItem::paintBadge(QPainter* painter, const QColor& color, const QString& mark) const
{
    const QPointF centre(size_.width(), 0);
    painter->setPen(QPen(Qt::white, 2));
    painter->setBrush(color);
    painter->drawEllipse(centre, kBadgeRadius, kBadgeRadius);
    painter->setPen(Qt::white);
    painter->setFont(font(9, true));
    painter->drawText(QRectF(centre - QPointF(kBadgeRadius, kBadgeRadius), QSizeF(2 * kBadgeRadius, 2 * kBadgeRadius)),
        Qt::AlignCenter, mark);
}

QVariant BlockItem::itemChange(GraphicsItemChange change, const QVariant& value)
{
    if (change == ItemPositionChange && !followingDocument_) {
        const QPointF p = value.toPointF(); // a user drag: snap to the grid
        return QPointF(geometry::snapToGrid(p.x()), geometry::snapToGrid(p.y()));
    }
    if (change == ItemPositionHasChanged)
        if (auto* graphScene = qobject_cast<GraphScene*>(scene()))
            graphScene->blockItemMoved(this);
    if (change == ItemSelectedHasChanged)
        setZValue(value.toBool() ? 1 : 0);
    return QGraphicsItem::itemChange(change, value);
}

} // namespace netdraft::editor
