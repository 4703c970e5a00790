#pragma once
// The problems list: every error and warning shape inference found, each under the name the canvas
// shows for its block, after the block a training run stopped at; clicking one asks the canvas to
// select and centre the block.

#include "editor/GraphDocument.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QListWidget;

namespace netdraft::editor {
class CostAnalysis;
class FailureMark;
} // namespace netdraft::editor

namespace netdraft::widgets {

/// Refreshed on the document's inferenceUpdated; emits blockActivated for the view to handle.
class ProblemsWidget : public QWidget {
    Q_OBJECT
public:
    explicit ProblemsWidget(editor::GraphDocument& document, QWidget* parent = nullptr);

    QListWidget* list() const { return list_; }
    /// Lists the cost count's warnings too (a layer holding most of the parameters), after inference's.
    void setCostAnalysis(editor::CostAnalysis* analysis);
    /// Lists the block a training run stopped at (FailureMark) first, while it is marked.
    void setFailureMark(editor::FailureMark* mark);
    /// "1 error", "2 errors, 1 warning", "No problems"; "1 failed run" first while a block is marked.
    QString summary() const;

Q_SIGNALS:
    void blockActivated(const QString& blockId);

private:
    void refresh();
    /// The block as the canvas names it: its display name, with the id when another block shows the same
    /// (or always, `withId`, where the two differ).
    QString blockName(const std::string& id, bool withId = false) const;

    editor::GraphDocument& document_;
    QPointer<editor::CostAnalysis> costAnalysis_;
    QPointer<editor::FailureMark> failureMark_;
    QLabel* summary_;
    QListWidget* list_;
};

} // namespace netdraft::widgets
