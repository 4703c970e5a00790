#pragma once
// The main window's collaborator for the histogram panel (issue 20, inside a run): feeds it the
// training worker's per-block statistics live, a finished run's statistics.jsonl when the run is chosen
// in the history, and the canvas selection; owns View ▸ Histograms.

#include "app/gui/TrainingController.h"

#include <QDockWidget>
#include <QObject>
#include <QPointer>

#include <functional>

class QAction;

namespace netdraft::editor {
class GraphScene;
}

namespace netdraft::widgets {
class HistogramPanel;
}

namespace netdraft::app {

class HistogramPresenter : public QObject {
    Q_OBJECT
public:
    /// `runFolder` gives the folder of run number N (its statistics.jsonl).
    HistogramPresenter(TrainingController& training, editor::GraphScene& scene,
        std::function<QString(int number)> runFolder, QObject* parent = nullptr);

    widgets::HistogramPanel* panel() const { return panel_; }
    /// The dock that holds the panel, which View ▸ Histograms shows and raises.
    void setDock(QDockWidget* dock) { dock_ = dock; }
    /// View ▸ Histograms (Ctrl+Shift+H).
    QAction* viewAction() const { return viewAction_; }

public Q_SLOTS:
    /// Run `number` chosen in the history: its statistics, unless a run is going (the live ones stay).
    void showRun(int number);

private:
    TrainingController& training_;
    std::function<QString(int)> runFolder_;
    widgets::HistogramPanel* panel_;
    QPointer<QDockWidget> dock_;
    QAction* viewAction_;
    TrainingController::State lastState_ = TrainingController::State::Idle;
};

} // namespace netdraft::app
