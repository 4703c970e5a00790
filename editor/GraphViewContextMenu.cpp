// GraphView's context menu (delete and reconnect, freezing, composite definitions) and the questions it asks (renaming a
// composite or one of its ports).

#include "editor/BlockItem.h"
#include "editor/CompositeActions.h"
#include "editor/GraphScene.h"
#include "editor/GraphView.h"

#include <QContextMenuEvent>
#include <QMenu>

namespace netdraft::editor {

QMenu* GraphView::contextMenuAt(QPoint viewportPos)
{
    QGraphicsItem* item = itemAt(viewportPos);
    while (item && item->type() != BlockItem::Type)
        item = item->parentItem();
    const QString scope = scene_->document().scope();
    if (item) {
        const QString id = static_cast<BlockItem*>(item)->blockId();
        const engine::Block* block = scene_->document().graph().findBlock(id.toStdString());
        if (!block)
            return nullptr;
        const bool composite = scene_->document().project().graph.findComposite(block->type) != nullptr;
        // A right click on one block of a selection acts on the selection (Freeze); elsewhere on the block.
        if (!scene_->selectedBlockIds().contains(id) || (composite && scene_->selectedBlockIds().size() != 1))
            scene_->selectBlocks({ id });
        auto* menu = new QMenu(this);
        if (QAction* viewOutput = action("viewBlockOutput"); viewOutput && scope.isEmpty()) {
            // Inside an open composite the ids are the definition's, not the network's: not offered there.
            QAction* entry = menu->addAction(tr("View Output…"), viewOutput, &QAction::trigger);
            entry->setObjectName(QStringLiteral("viewOutput"));
            entry->setStatusTip(viewOutput->statusTip());
            menu->addSeparator();
        }
        menu->addAction(action("deleteReconnect"));
        menu->addSeparator();
        addFreezeEntries(menu, id, block->frozen);
        if (!composite)
            return menu;
        menu->addSeparator();
        const QString type = QString::fromStdString(block->type);
        QAction* open = menu->addAction(tr("Open Definition"), scene_, &GraphScene::openSelectedComposite);
        open->setObjectName(QStringLiteral("openDefinition"));
        QAction* rename = menu->addAction(
            tr("Rename Definition %1\u2026").arg(type), this, [this, type] { askToRenameComposite(type); });
        rename->setObjectName(QStringLiteral("renameDefinition"));
        menu->addAction(action("saveComposite"));
        menu->addSeparator();
        menu->addAction(action("ungroup"));
        return menu;
    }
    if (scope.isEmpty())
        return nullptr;
    auto* menu = new QMenu(this);
    QAction* close = menu->addAction(
        tr("Close %1 (Back to Project)").arg(scope), this, [this] { scene_->document().closeComposite(); });
    close->setObjectName(QStringLiteral("closeDefinition"));
    QAction* rename = menu->addAction(
        tr("Rename Definition %1\u2026").arg(scope), this, [this, scope] { askToRenameComposite(scope); });
    rename->setObjectName(QStringLiteral("renameDefinition"));
    menu->addAction(action("saveComposite"));
    return menu;
}

void GraphView::addFreezeEntries(QMenu* menu, const QString& id, bool frozen)
{
    const int selected = int(scene_->selectedBlockIds().size());
    QAction* toggle = menu->addAction(selected > 1 ? tr("Freeze / Unfreeze %1 Selected Blocks").arg(selected)
            : frozen                               ? tr("Unfreeze")
                                                   : tr("Freeze"),
        scene_, &GraphScene::toggleSelectionFrozen);
    toggle->setObjectName(QStringLiteral("freezeBlock"));
    toggle->setShortcut(action("toggleFrozen")->shortcut());
    toggle->setStatusTip(action("toggleFrozen")->statusTip());
    QAction* upTo = menu->addAction(tr("Freeze Up to Here"), this, [this, id] { scene_->freezeUpTo(id); });
    upTo->setObjectName(QStringLiteral("freezeUpTo"));
    upTo->setStatusTip(tr("Freeze this block and every block before it (fine-tune only what follows)"));
}

void GraphView::contextMenuEvent(QContextMenuEvent* event)
{
    QMenu* menu = contextMenuAt(event->pos());
    if (!menu) {
        QGraphicsView::contextMenuEvent(event);
        return;
    }
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
    event->accept();
}

void GraphView::askToRenameComposite(const QString& type)
{
    if (const QString name = askNewCompositeName(this, type); !name.isEmpty())
        scene_->renameComposite(type, name);
}

void GraphView::askToRenamePort(bool input, const QString& name)
{
    if (const QString renamed = askNewPortName(this, scene_->document().scope(), input, name); !renamed.isEmpty())
        scene_->renameOpenCompositePort(input, name, renamed);
}

} // namespace netdraft::editor
