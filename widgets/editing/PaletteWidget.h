#pragma once
// The layer palette: the catalogue as a searchable tree grouped by category; entries drag onto the
// canvas as kLayerTypeMimeType.

#include <QWidget>

class QLineEdit;
class QMenu;
class QMimeData;
class QTreeWidget;
class QTreeWidgetItem;

namespace netdraft::editor {
class GraphDocument;
}

namespace netdraft::widgets {

/// Built from the LayerRegistry; help text is the tooltip. A "Composite" section lists the composite
/// blocks of the document (setDocument) and of the user's library; the document's ones have a context
/// menu to rename or delete the definition (undoable).
class PaletteWidget : public QWidget {
    Q_OBJECT
public:
    explicit PaletteWidget(QWidget* parent = nullptr);

    /// Wide enough for the longest layer name (at most 260 px; narrower docks elide, the tooltip has it).
    QSize sizeHint() const override;
    QLineEdit* searchField() const { return search_; }
    QTreeWidget* tree() const { return tree_; }
    /// What dragging layer `type` carries.
    static QMimeData* mimeDataFor(const QString& type);
    /// Lists the document's composite blocks (kept up to date) besides the library's.
    void setDocument(editor::GraphDocument* document);
    /// Reads the library from `folder` instead of the user's (tests).
    void setLibraryFolder(const QString& folder);
    /// Rebuilds the "Composite" section.
    void refreshComposites();
    /// The types listed in the "Composite" section.
    QStringList compositeTypes() const;
    /// The context menu of the document's composite `type` (Rename…, Rename Port ▸, Delete…), or null for
    /// other entries.
    QMenu* compositeMenu(const QString& type);
    /// Renames the document's composite `from` to `to` (one undo step); false, with statusMessage saying
    /// why, when refused.
    bool renameComposite(const QString& from, const QString& to);
    /// Deletes the document's composite `name` (one undo step), ungrouping its instances first when
    /// `ungroupInstances`; false, with statusMessage naming the instances, while it is used.
    bool deleteComposite(const QString& name, bool ungroupInstances = false);
    /// Renames input (`input`) or output port `from` of composite `type` to `to` (one undo step);
    /// connections to its instances follow. False, with statusMessage saying why, when refused.
    bool renameCompositePort(const QString& type, bool input, const QString& from, const QString& to);

public Q_SLOTS:
    /// Shows the layers whose type, display name or category contains `text`.
    void setFilter(const QString& text);

Q_SIGNALS:
    /// Double-click or Enter on a layer.
    void layerActivated(const QString& type);
    /// A short message for the status bar (why a rename or delete was refused).
    void statusMessage(const QString& text);

private:
    void showContextMenu(const QPoint& position);
    void askToRename(const QString& type);
    void askToDelete(const QString& type);
    void askToRenamePort(const QString& type, bool input, const QString& port);
    /// Emits statusMessage(why) unless `why` is empty; whether it was.
    bool reportRefusal(const QString& why);

    QLineEdit* search_;
    QTreeWidget* tree_;
    QTreeWidgetItem* composites_ = nullptr;
    editor::GraphDocument* document_ = nullptr;
    QString libraryFolder_;
};

} // namespace netdraft::widgets
