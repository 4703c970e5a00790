#pragma once
// The canvas view: zoom around the cursor, pan (middle mouse or space+drag), fit, drops from the
// palette and the clipboard, the quick-add popup, and the editing actions with their shortcuts.

#include <QGraphicsView>
#include <QKeySequence>
#include <QList>

class QMenu;
class QToolButton;

#include <optional>

namespace netdraft::editor {

class GraphScene;
class Minimap;
class QuickAddPopup;

/// Views a GraphScene. Its actions (actions()) carry standard shortcuts and can go into menus.
class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(GraphScene* scene, QWidget* parent = nullptr);

    GraphScene* graphScene() const { return scene_; }
    /// The action with this object name: delete, deleteReconnect, cut, copy, paste, duplicate, selectAll, zoomIn,
    /// zoomOut, fit, autoLayout, undo, redo, quickAdd, group, ungroup, openComposite, closeComposite,
    /// saveComposite, toggleFrozen, minimap (checkable).
    QAction* action(const QString& name) const;
    double zoom() const { return transform().m11(); }
    /// The smallest zoom Fit to View uses: block titles stay readable.
    static double readableZoom();
    QuickAddPopup* quickAddPopup() const { return quickAdd_; }
    Minimap* minimap() const { return minimap_; }
    /// The "◀ Project › ConvLayer" button shown while a composite is open.
    QToolButton* breadcrumb() const { return breadcrumb_; }
    /// Shows or hides the overview in the bottom-right corner.
    void setMinimapVisible(bool visible);
    /// The context menu for viewport point `viewportPos` (the caller owns it), or null where there is
    /// none: on a block Delete and Reconnect, Freeze (or Unfreeze) and Freeze Up to Here, on a
    /// composite instance also Open Definition, Rename Definition…, Save to Library, Ungroup; on the
    /// empty canvas inside a composite Close Definition and Rename Definition….
    QMenu* contextMenuAt(QPoint viewportPos);
    /// Asks for a new name of composite `type` and renames it (one undo step).
    void askToRenameComposite(const QString& type);
    /// Asks for a new name of the open composite's input (`input`) or output port `name` and renames it.
    void askToRenamePort(bool input, const QString& name);

public Q_SLOTS:
    void zoomBy(double factor);
    void zoomIn() { zoomBy(1.2); }
    void zoomOut() { zoomBy(1 / 1.2); }
    /// Zooms to show every block, never above 100 % nor below readableZoom(): a graph too large for
    /// that is shown from its Input block (else its top-left corner), and the user pans.
    void fitToView();
    /// Selects the block and centres it (the problems list and search use this).
    void focusBlock(const QString& id);
    /// Opens the quick-add popup at the cursor (or the centre); the chosen layer lands there.
    void openQuickAdd();

protected:
    bool event(QEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createActions();
    QAction* addEditAction(const QString& name, const QString& text, const QList<QKeySequence>& keys);
    void openQuickAddAt(QPoint viewportPos);
    void createCompositeActions();
    void addFreezeEntries(QMenu* menu, const QString& id, bool frozen);
    void placeOverlays();
    void onScopeChanged(const QString& scope);
    std::optional<QPointF> cursorScenePosition() const;

    GraphScene* scene_;
    QuickAddPopup* quickAdd_;
    Minimap* minimap_ = nullptr;
    QToolButton* breadcrumb_ = nullptr;
    QPointF quickAddScenePos_;
    bool spaceHeld_ = false;
    bool panning_ = false;
    QPoint lastPanPos_;
};

/// The Redo shortcuts: the platform's `platformKeys` plus Ctrl+Y, which Linux desktops leave out
/// (they bind only Ctrl+Shift+Z) and users of other tools expect.
QList<QKeySequence> redoShortcuts(QList<QKeySequence> platformKeys);

} // namespace netdraft::editor
