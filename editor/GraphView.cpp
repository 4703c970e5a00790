#include "editor/GraphView.h"

#include "editor/BlockItem.h"
#include "editor/CompositeLibrary.h"
#include "editor/CompositePortMarker.h"
#include "editor/GraphScene.h"
#include "editor/MimeTypes.h"
#include "editor/Minimap.h"
#include "editor/QuickAddPopup.h"

#include <QAction>
#include <QInputDialog>
#include <QTimer>
#include <QToolButton>
#include <QDragEnterEvent>
#include <QKeyEvent>
#include <QMimeData>
#include <QScrollBar>
#include <QUndoStack>

#include <algorithm>
#include <cmath>

namespace netdraft::editor {

namespace {
constexpr double kMinZoom = 0.15;
constexpr double kMaxZoom = 3.0;
/// Fit to View goes no further out: block titles (9 pt bold, 12 px) stay about 8 px high.
constexpr double kReadableZoom = 0.65;
/// Fit to View's room around the blocks, for connections that loop back to the next row.
constexpr double kFitMarginX = 70;
constexpr double kFitMarginY = 40;

/// The centre coordinate that shows `low`..`high` whole when `visible` allows, else the stretch of
/// `visible` nearest `anchor` without going past either end.
double fitCentre(double low, double high, double visible, double anchor)
{
    if (high - low <= visible)
        return (low + high) / 2;
    return std::clamp(anchor, low + visible / 2, high - visible / 2);
}
} // namespace

GraphView::GraphView(GraphScene* scene, QWidget* parent)
    : QGraphicsView(scene, parent)
    , scene_(scene)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
    setDragMode(QGraphicsView::RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::BoundingRectViewportUpdate);
    // The dotted background is redrawn only when the view scrolls or zooms, not on every drag frame.
    setCacheMode(QGraphicsView::CacheBackground);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    setAcceptDrops(true);
    viewport()->setAcceptDrops(true); // drops are delivered to the viewport, not the scroll area
    setFocusPolicy(Qt::StrongFocus);
    quickAdd_ = new QuickAddPopup(this);
    connect(quickAdd_, &QuickAddPopup::layerChosen, this,
        [this](const QString& type) { scene_->addBlockAt(type, quickAddScenePos_); });
    createActions();
    createCompositeActions();
    minimap_ = new Minimap(this);
    minimap_->hide();
    breadcrumb_ = new QToolButton(this);
    breadcrumb_->setObjectName("breadcrumb");
    breadcrumb_->setToolButtonStyle(Qt::ToolButtonTextOnly);
    breadcrumb_->setToolTip(tr("Back to the project's graph (Alt+Up)"));
    breadcrumb_->hide();
    connect(breadcrumb_, &QToolButton::clicked, this, [this] { scene_->document().closeComposite(); });
    connect(&scene_->document(), &GraphDocument::scopeChanged, this, &GraphView::onScopeChanged);
}

void GraphView::createCompositeActions()
{
    connect(addEditAction("group", tr("Group into Composite Block…"), { QKeySequence(Qt::CTRL | Qt::Key_G) }),
        &QAction::triggered, this, [this] {
            if (scene_->selectedBlockIds().isEmpty()) {
                scene_->groupSelection(); // says what to do
                return;
            }
            bool ok = false;
            const QString name = QInputDialog::getText(this, tr("Group into Composite Block"),
                tr("Name of the new block type (a letter, then letters, digits or _):"), QLineEdit::Normal,
                QStringLiteral("Block%1").arg(scene_->document().project().graph.composites().size() + 1), &ok);
            if (ok && !name.isEmpty())
                scene_->groupSelection(name);
        });
    connect(addEditAction("ungroup", tr("Ungroup"), { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G) }),
        &QAction::triggered, scene_, &GraphScene::ungroupSelection);
    // Enter opens it too (keyPressEvent): a shortcut would also take Enter from the quick-add popup.
    connect(addEditAction("openComposite", tr("Open Composite Block (Enter)"), {}), &QAction::triggered, scene_,
        &GraphScene::openSelectedComposite);
    connect(addEditAction("closeComposite", tr("Back to Project Graph"), { QKeySequence(Qt::ALT | Qt::Key_Up) }),
        &QAction::triggered, this, [this] { scene_->document().closeComposite(); });
    connect(addEditAction("saveComposite", tr("Save Composite Block to Library"), {}), &QAction::triggered, this,
        [this] { scene_->saveCompositeToLibrary(CompositeLibrary()); });
    connect(addEditAction(
                "toggleFrozen", tr("Freeze / Unfreeze Selected"), { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F) }),
        &QAction::triggered, scene_, &GraphScene::toggleSelectionFrozen);
    action("toggleFrozen")->setStatusTip(tr("Frozen blocks keep their weights while training (fine-tuning)"));
    QAction* minimap = addEditAction("minimap", tr("Show Minimap"), { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M) });
    minimap->setCheckable(true);
    connect(minimap, &QAction::toggled, this, &GraphView::setMinimapVisible);
}

void GraphView::setMinimapVisible(bool visible)
{
    if (QAction* toggle = action("minimap"); toggle && toggle->isChecked() != visible)
        toggle->setChecked(visible);
    placeOverlays();
    minimap_->setVisible(visible);
}

void GraphView::placeOverlays()
{
    const QRect area = viewport()->geometry();
    const int width = std::clamp(area.width() / 5, 140, 260);
    const int height = std::clamp(area.height() / 5, 100, 180);
    if (minimap_)
        minimap_->setGeometry(area.right() - width - 10, area.bottom() - height - 10, width, height);
    if (breadcrumb_) {
        breadcrumb_->adjustSize();
        breadcrumb_->move(area.left() + 10, area.top() + 10);
    }
}

void GraphView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    placeOverlays();
}

void GraphView::onScopeChanged(const QString& scope)
{
    breadcrumb_->setText(scope.isEmpty() ? QString() : tr("\u25C0 Project  \u203A  %1").arg(scope));
    breadcrumb_->setVisible(!scope.isEmpty());
    placeOverlays();
    QTimer::singleShot(0, this, &GraphView::fitToView);
}

QAction* GraphView::addEditAction(const QString& name, const QString& text, const QList<QKeySequence>& keys)
{
    auto* action = new QAction(text, this);
    action->setObjectName(name);
    action->setShortcuts(keys);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(action);
    return action;
}

void GraphView::createActions()
{
    connect(addEditAction("delete", tr("Delete"), { QKeySequence::Delete, QKeySequence(Qt::Key_Backspace) }),
        &QAction::triggered, scene_, &GraphScene::deleteSelection);
    QAction* dissolve = addEditAction("deleteReconnect", tr("Delete and Reconnect"),
        { QKeySequence(Qt::CTRL | Qt::Key_Delete), QKeySequence(Qt::CTRL | Qt::Key_Backspace) });
    dissolve->setStatusTip(tr("Delete the selected blocks and connect each one's input to its outputs"));
    connect(dissolve, &QAction::triggered, scene_, &GraphScene::dissolveSelection);
    connect(addEditAction("cut", tr("Cut"), QKeySequence::keyBindings(QKeySequence::Cut)), &QAction::triggered, scene_,
        &GraphScene::cutSelection);
    connect(addEditAction("copy", tr("Copy"), QKeySequence::keyBindings(QKeySequence::Copy)), &QAction::triggered,
        scene_, &GraphScene::copySelection);
    connect(addEditAction("paste", tr("Paste"), QKeySequence::keyBindings(QKeySequence::Paste)), &QAction::triggered,
        this, [this] { scene_->paste(cursorScenePosition()); });
    connect(addEditAction("duplicate", tr("Duplicate"), { QKeySequence(Qt::CTRL | Qt::Key_D) }), &QAction::triggered,
        scene_, &GraphScene::duplicateSelection);
    connect(addEditAction("selectAll", tr("Select All"), QKeySequence::keyBindings(QKeySequence::SelectAll)),
        &QAction::triggered, this, [this] {
            for (QGraphicsItem* item : scene_->items())
                if (item->type() == BlockItem::Type)
                    item->setSelected(true);
        });
    connect(addEditAction("zoomIn", tr("Zoom In"), QKeySequence::keyBindings(QKeySequence::ZoomIn)),
        &QAction::triggered, this, &GraphView::zoomIn);
    connect(addEditAction("zoomOut", tr("Zoom Out"), QKeySequence::keyBindings(QKeySequence::ZoomOut)),
        &QAction::triggered, this, &GraphView::zoomOut);
    connect(addEditAction("fit", tr("Fit to View"), { QKeySequence(Qt::CTRL | Qt::Key_0), QKeySequence(Qt::Key_F) }),
        &QAction::triggered, this, &GraphView::fitToView);
    connect(addEditAction("autoLayout", tr("Auto-Layout"), { QKeySequence(Qt::CTRL | Qt::Key_L) }), &QAction::triggered,
        this, [this] {
            const bool wholeGraph = scene_->selectedBlockIds().size() < 2;
            const QSize area = viewport()->size();
            if (area.isEmpty())
                scene_->autoLayout();
            else // rows that fill the view and can be read whole at the readable zoom
                scene_->autoLayout(
                    double(area.width()) / area.height(), area.width() / kReadableZoom - 2 * kFitMarginX);
            if (wholeGraph) // shown whole, as the rows were shaped for this view
                fitToView();
        });
    connect(addEditAction("quickAdd", tr("Add Layer… (Tab)"), {}), &QAction::triggered, this, &GraphView::openQuickAdd);
    QUndoStack* stack = scene_->document().undoStack();
    QAction* undo = stack->createUndoAction(this);
    undo->setObjectName("undo");
    undo->setShortcuts(QKeySequence::Undo);
    undo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(undo);
    QAction* redo = stack->createRedoAction(this);
    redo->setObjectName("redo");
    redo->setShortcuts(redoShortcuts(QKeySequence::keyBindings(QKeySequence::Redo)));
    redo->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(redo);
}

QList<QKeySequence> redoShortcuts(QList<QKeySequence> platformKeys)
{
    const QKeySequence ctrlY(Qt::CTRL | Qt::Key_Y);
    if (!platformKeys.contains(ctrlY))
        platformKeys.append(ctrlY);
    return platformKeys;
}

QAction* GraphView::action(const QString& name) const
{
    for (QAction* action : actions())
        if (action->objectName() == name)
            return action;
    return nullptr;
}

void GraphView::zoomBy(double factor)
{
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    scale(target / zoom(), target / zoom());
}

double GraphView::readableZoom()
{
    return kReadableZoom;
}

void GraphView::fitToView()
{
    QRectF bounds;
    for (QGraphicsItem* item : scene_->items())
        if (item->type() == BlockItem::Type
            || item->type() == CompositePortMarker::Type) // the open composite's ports too
            bounds = bounds.united(item->sceneBoundingRect());
    if (bounds.isEmpty()) {
        resetTransform();
        centerOn(0, 0);
        return;
    }
    bounds.adjust(-kFitMarginX, -kFitMarginY, kFitMarginX, kFitMarginY);
    fitInView(bounds, Qt::KeepAspectRatio);
    if (zoom() > 1.0)
        setTransform(QTransform());
    if (zoom() >= kReadableZoom) {
        centerOn(bounds.center());
        return;
    }
    // Too large to read whole: fit at the readable zoom around where the graph starts, to pan from.
    setTransform(QTransform::fromScale(kReadableZoom, kReadableZoom));
    QPointF start = bounds.topLeft();
    for (const engine::Block& block : scene_->document().graph().blocks())
        if (BlockItem* item = scene_->blockItem(QString::fromStdString(block.id)); item && block.type == "Input") {
            start = item->sceneBoundingRect().center();
            break;
        }
    const QSizeF visible = QSizeF(viewport()->size()) / kReadableZoom;
    centerOn(fitCentre(bounds.left(), bounds.right(), visible.width(), start.x()),
        fitCentre(bounds.top(), bounds.bottom(), visible.height(), start.y()));
}

void GraphView::focusBlock(const QString& id)
{
    if (BlockItem* item = scene_->blockItem(id)) {
        scene_->selectBlocks({ id });
        centerOn(item);
        setFocus();
    }
}

std::optional<QPointF> GraphView::cursorScenePosition() const
{
    const QPoint local = viewport()->mapFromGlobal(QCursor::pos());
    if (!viewport()->rect().contains(local))
        return std::nullopt;
    return mapToScene(local);
}

void GraphView::openQuickAdd()
{
    QPoint local = viewport()->mapFromGlobal(QCursor::pos());
    if (!viewport()->rect().contains(local))
        local = viewport()->rect().center();
    openQuickAddAt(local);
}

void GraphView::openQuickAddAt(QPoint viewportPos)
{
    quickAddScenePos_ = mapToScene(viewportPos);
    quickAdd_->popup(viewport()->mapToGlobal(viewportPos));
}

bool GraphView::event(QEvent* event)
{
    // Tab would move the focus away; on the canvas it opens the quick-add popup.
    if (event->type() == QEvent::KeyPress && static_cast<QKeyEvent*>(event)->key() == Qt::Key_Tab
        && static_cast<QKeyEvent*>(event)->modifiers() == Qt::NoModifier) {
        openQuickAdd();
        return true;
    }
    return QGraphicsView::event(event);
}

void GraphView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        zoomBy(std::pow(1.15, steps));
    event->accept();
}

void GraphView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && spaceHeld_)) {
        panning_ = true;
        lastPanPos_ = event->pos();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void GraphView::mouseMoveEvent(QMouseEvent* event)
{
    if (panning_) {
        const QPoint delta = event->pos() - lastPanPos_;
        lastPanPos_ = event->pos();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent* event)
{
    if (panning_ && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        panning_ = false;
        viewport()->setCursor(spaceHeld_ ? Qt::OpenHandCursor : Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void GraphView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (auto* marker = qgraphicsitem_cast<CompositePortMarker*>(itemAt(event->pos()));
        marker && event->button() == Qt::LeftButton) {
        event->accept();
        // The marker is remade by the rename: keep only what names the port.
        const bool input = marker->isInput();
        const QString name = marker->name();
        askToRenamePort(input, name);
        return;
    }
    if (event->button() == Qt::LeftButton && itemAt(event->pos())) {
        QGraphicsItem* item = itemAt(event->pos());
        while (item && item->type() != BlockItem::Type)
            item = item->parentItem();
        if (item) {
            scene_->selectBlocks({ static_cast<BlockItem*>(item)->blockId() });
            if (scene_->openSelectedComposite()) {
                event->accept();
                return;
            }
        }
    }
    if (event->button() == Qt::LeftButton && !itemAt(event->pos())) {
        openQuickAddAt(event->pos());
        event->accept();
        return;
    }
    QGraphicsView::mouseDoubleClickEvent(event);
}

void GraphView::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        spaceHeld_ = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter) && scene_->openSelectedComposite()) {
        event->accept();
        return;
    }
    const double step = (event->modifiers() & Qt::ShiftModifier) ? 50 : 10;
    switch (event->key()) {
    case Qt::Key_Left:
        scene_->nudgeSelection(-step, 0);
        return;
    case Qt::Key_Right:
        scene_->nudgeSelection(step, 0);
        return;
    case Qt::Key_Up:
        scene_->nudgeSelection(0, -step);
        return;
    case Qt::Key_Down:
        scene_->nudgeSelection(0, step);
        return;
    default:
        break;
    }
    QGraphicsView::keyPressEvent(event);
}

void GraphView::keyReleaseEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        spaceHeld_ = false;
        if (!panning_)
            viewport()->setCursor(Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void GraphView::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasFormat(kLayerTypeMimeType) || event->mimeData()->hasFormat(kBlocksMimeType))
        event->acceptProposedAction();
    else
        event->ignore();
}

void GraphView::dragMoveEvent(QDragMoveEvent* event)
{
    if (event->mimeData()->hasFormat(kLayerTypeMimeType) || event->mimeData()->hasFormat(kBlocksMimeType))
        event->acceptProposedAction();
    else
        event->ignore();
}

void GraphView::dropEvent(QDropEvent* event)
{
    const QPointF scenePos = mapToScene(event->position().toPoint());
    const QMimeData* mime = event->mimeData();
    if (mime->hasFormat(kLayerTypeMimeType)) {
        const QString type = QString::fromUtf8(mime->data(kLayerTypeMimeType));
        if (!scene_->addBlockAt(type, scenePos).isEmpty()) {
            event->acceptProposedAction();
            setFocus();
            return;
        }
    }
    if (mime->hasFormat(kBlocksMimeType)) {
        scene_->pasteJson(mime->data(kBlocksMimeType), scenePos);
        event->acceptProposedAction();
        return;
    }
    event->ignore();
}

} // namespace netdraft::editor
