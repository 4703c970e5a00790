#pragma once
// The problems list: every error and warning shape inference found; clicking one asks the canvas
// to select and centre the block.

#include "editor/GraphDocument.h"

#include <QWidget>

class QLabel;
class QListWidget;

namespace netdraft::widgets {

/// Refreshed on the document's inferenceUpdated; emits blockActivated for the view to handle.
class ProblemsWidget : public QWidget {
    Q_OBJECT
public:
    explicit ProblemsWidget(editor::GraphDocument& document, QWidget* parent = nullptr);

    QListWidget* list() const { return list_; }
    /// "1 error", "2 errors, 1 warning", "No problems".
    QString summary() const;

Q_SIGNALS:
    void blockActivated(const QString& blockId);

private:
    void refresh();

    editor::GraphDocument& document_;
    QLabel* summary_;
    QListWidget* list_;
};

} // namespace netdraft::widgets
