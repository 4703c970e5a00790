#pragma once
// The layer palette: the catalogue as a searchable tree grouped by category; entries drag onto the
// canvas as kLayerTypeMimeType.

#include <QWidget>

class QLineEdit;
class QMimeData;
class QTreeWidget;
class QTreeWidgetItem;

namespace netdraft::editor {
class GraphDocument;
}

namespace netdraft::widgets {

/// Built from the LayerRegistry; help text is the tooltip. A "Composite" section lists the composite
/// blocks of the document (setDocument) and of the user's library.
class PaletteWidget : public QWidget {
    Q_OBJECT
public:
    explicit PaletteWidget(QWidget* parent = nullptr);

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

public Q_SLOTS:
    /// Shows the layers whose type, display name or category contains `text`.
    void setFilter(const QString& text);

Q_SIGNALS:
    /// Double-click or Enter on a layer.
    void layerActivated(const QString& type);

private:
    QLineEdit* search_;
    QTreeWidget* tree_;
    QTreeWidgetItem* composites_ = nullptr;
    editor::GraphDocument* document_ = nullptr;
    QString libraryFolder_;
};

} // namespace netdraft::widgets
