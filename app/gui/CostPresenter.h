#pragma once
// The main window's cost collaborator (issue 20): counts the design as it is edited (CostAnalysis),
// owns View ▸ Cost Overlay with its metric choice (persisted), the Cost summary panel, and the
// total parameter count and training memory-fit line in the status bar.

#include <QLabel>
#include <QObject>
#include <QPointer>

class QAction;
class QMenu;

namespace netdraft::editor {
class CostAnalysis;
class CostOverlay;
class GraphDocument;
class GraphScene;
class GraphView;
} // namespace netdraft::editor

namespace netdraft::widgets {
class CostTableWidget;
}

namespace netdraft::app {

class CostPresenter : public QObject {
    Q_OBJECT
public:
    CostPresenter(
        editor::GraphDocument& document, editor::GraphScene& scene, editor::GraphView& view, QObject* parent = nullptr);
    ~CostPresenter() override;

    editor::CostAnalysis& analysis() const { return *analysis_; }
    editor::CostOverlay& overlay() const { return *overlay_; }
    /// The Cost panel (summary table and memory-fit line), for a dock.
    widgets::CostTableWidget* table() const { return table_; }
    /// The memory-fit line for the status bar.
    QLabel* memoryLabel() const { return memoryLabel_; }
    /// The total parameter count for the status bar ("Parameters: 1.40 M").
    QLabel* parametersLabel() const { return parametersLabel_; }
    /// View ▸ Cost Overlay (checkable, Ctrl+Shift+C) and the choice of what it colours by.
    void addViewActions(QMenu* view);

private:
    void applyOverlaySettings();

    editor::CostAnalysis* analysis_;
    editor::CostOverlay* overlay_;
    widgets::CostTableWidget* table_;
    QPointer<QLabel> memoryLabel_; ///< the status bar's once added
    QPointer<QLabel> parametersLabel_; ///< the status bar's once added
    QAction* toggle_;
    QList<QAction*> metrics_;
};

} // namespace netdraft::app
