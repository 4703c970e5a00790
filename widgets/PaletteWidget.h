#pragma once
// The layer palette: the catalogue as a searchable tree grouped by category; entries drag onto the
// canvas as kLayerTypeMimeType.

#include <QWidget>

class QLineEdit;
class QMimeData;
class QTreeWidget;

namespace netdraft::widgets {

/// Built from the LayerRegistry; help text is the tooltip.
class PaletteWidget : public QWidget {
    Q_OBJECT
public:
    explicit PaletteWidget(QWidget* parent = nullptr);

    QLineEdit* searchField() const { return search_; }
    QTreeWidget* tree() const { return tree_; }
    /// What dragging layer `type` carries.
    static QMimeData* mimeDataFor(const QString& type);

public Q_SLOTS:
    /// Shows the layers whose type, display name or category contains `text`.
    void setFilter(const QString& text);

Q_SIGNALS:
    /// Double-click or Enter on a layer.
    void layerActivated(const QString& type);

private:
    QLineEdit* search_;
    QTreeWidget* tree_;
};

} // namespace netdraft::widgets
