#pragma once
// The quick-add popup: type to search the layer catalogue, Enter adds the chosen layer.

#include <QFrame>

class QLineEdit;
class QListWidget;

namespace netdraft::editor {

/// A search field over a filtered list of layer types; emits layerChosen and closes.
class QuickAddPopup : public QFrame {
    Q_OBJECT
public:
    explicit QuickAddPopup(QWidget* parent = nullptr);

    /// Shows the popup with its top-left at `globalPos`, the search field empty and focused.
    void popup(QPoint globalPos);
    QLineEdit* searchField() const { return search_; }
    QListWidget* list() const { return list_; }

Q_SIGNALS:
    void layerChosen(const QString& type);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void filter(const QString& text);
    void choose();

    QLineEdit* search_;
    QListWidget* list_;
};

} // namespace netdraft::editor
