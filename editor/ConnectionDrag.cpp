#include "editor/ConnectionDrag.h"

#include "editor/BlockItem.h"
#include "editor/ConnectionItem.h"
#include "editor/ConnectionRules.h"
#include "editor/GraphScene.h"
#include "editor/PortItem.h"
#include "editor/commands/Connect.h"
#include "editor/commands/Disconnect.h"

#include <QGraphicsPathItem>
#include <QGraphicsTextItem>
#include <QPen>

namespace netdraft::editor {

namespace {
const QColor kNeutral(0x64, 0x74, 0x8B);
const QColor kAccepts(0x16, 0xA3, 0x4A);
const QColor kRefuses(0xDC, 0x26, 0x26);
} // namespace

ConnectionDrag::ConnectionDrag(GraphScene& scene, engine::PortRef from, std::optional<engine::Connection> replacing)
    : scene_(scene)
    , from_(std::move(from))
    , replacing_(std::move(replacing))
{
    curve_ = scene_.addPath(QPainterPath(), QPen(kNeutral, 2, Qt::DashLine, Qt::RoundCap));
    curve_->setZValue(10);
    reason_ = scene_.addText(QString());
    reason_->setZValue(11);
    reason_->setVisible(false);
    if (replacing_)
        if (ConnectionItem* item = scene_.connectionItem(*replacing_))
            item->setVisible(false);
}

ConnectionDrag::~ConnectionDrag()
{
    setHighlight(nullptr, false);
    if (replacing_)
        if (ConnectionItem* item = scene_.connectionItem(*replacing_))
            item->setVisible(true);
    delete curve_;
    delete reason_;
}

ConnectionDrag::Target ConnectionDrag::targetAt(QPointF scenePos) const
{
    Target target;
    PortItem* port = scene_.portAt(scenePos);
    if (port && port->isInput()) {
        target.port = port;
    } else if (!port) {
        // Dropping on a block's body means its first free input.
        for (QGraphicsItem* item : scene_.items(scenePos)) {
            auto* block = qgraphicsitem_cast<BlockItem*>(item);
            if (!block || block->inputPorts().empty())
                continue;
            target.port = block->inputPorts().front();
            for (PortItem* input : block->inputPorts())
                if (!scene_.document().graph().connectionInto(
                        { input->blockId().toStdString(), input->port().toStdString() })) {
                    target.port = input;
                    break;
                }
            break;
        }
    }
    if (!target.port)
        return target;
    target.connection
        = engine::Connection { from_, { target.port->blockId().toStdString(), target.port->port().toStdString() } };
    const engine::Graph& graph = scene_.document().graph();
    target.refusal = whyCannotConnect(graph, *target.connection, replacing_, OccupiedInput::Replace);
    target.displaced = displacedConnection(graph, *target.connection, replacing_);
    return target;
}

void ConnectionDrag::setHighlight(PortItem* port, bool accepts)
{
    if (highlighted_ && highlighted_ != port)
        highlighted_->setHighlight(PortItem::Highlight::None);
    highlighted_ = port;
    if (port)
        port->setHighlight(accepts ? PortItem::Highlight::Accepts : PortItem::Highlight::Refuses);
}

void ConnectionDrag::moveTo(QPointF scenePos)
{
    const Target target = targetAt(scenePos);
    const QPointF start = scene_.portScenePosition(from_, false);
    const QPointF end = target.port && !target.refusal ? target.port->scenePos() : scenePos;
    curve_->setPath(connectionPath(start, end));
    const QColor color = !target.port ? kNeutral : target.refusal ? kRefuses : kAccepts;
    curve_->setPen(QPen(color, 2, target.refusal ? Qt::DashLine : Qt::SolidLine, Qt::RoundCap));
    setHighlight(target.port, !target.refusal);
    const bool replaces = !target.refusal && target.displaced && !(*target.displaced == *target.connection);
    reason_->setVisible(target.refusal.has_value() || replaces);
    if (target.refusal)
        reason_->setHtml(QStringLiteral("<div style='background:#FEE2E2; color:#B91C1C; padding:2px'>&#8856; %1</div>")
                             .arg(target.refusal->toHtmlEscaped()));
    else if (replaces)
        reason_->setHtml(QStringLiteral("<div style='background:#FEF3C7; color:#92400E; padding:2px'>&#8644; %1</div>")
                             .arg(QObject::tr("replaces %1")
                                      .arg(QString::fromStdString(engine::describeConnection(*target.displaced)))
                                      .toHtmlEscaped()));
    reason_->setPos(scenePos + QPointF(14, 10));
}

void ConnectionDrag::finish(QPointF scenePos)
{
    const Target target = targetAt(scenePos);
    GraphDocument& document = scene_.document();
    if (target.refusal) {
        Q_EMIT scene_.statusMessage(QObject::tr("Cannot connect: %1").arg(*target.refusal));
        return;
    }
    if (!target.connection) {
        if (replacing_) // an input end dropped on empty canvas: detach it
            document.push(new commands::Disconnect(document, *replacing_));
        return;
    }
    if (replacing_ && *replacing_ == *target.connection)
        return;
    if (target.displaced && *target.displaced == *target.connection) { // connected so already
        if (replacing_) // the picked-up end joins it: only the picked-up connection goes
            document.push(new commands::Disconnect(document, *replacing_));
        return;
    }
    if (!replacing_ && !target.displaced) {
        document.push(new commands::Connect(document, *target.connection));
        return;
    }
    const QString described = QString::fromStdString(engine::describeConnection(*target.connection));
    document.undoStack()->beginMacro(target.displaced ? QObject::tr("Replace connection with %1").arg(described)
                                                      : QObject::tr("Reconnect %1").arg(described));
    if (target.displaced)
        document.push(new commands::Disconnect(document, *target.displaced));
    if (replacing_)
        document.push(new commands::Disconnect(document, *replacing_));
    document.push(new commands::Connect(document, *target.connection));
    document.undoStack()->endMacro();
    if (target.displaced)
        Q_EMIT scene_.statusMessage(
            QObject::tr("Replaced %1 with %2")
                .arg(QString::fromStdString(engine::describeConnection(*target.displaced)), described));
}

} // namespace netdraft::editor
