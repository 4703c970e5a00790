#include "app/gui/HistogramPresenter.h"

#include "app/gui/TrainingController.h"
#include "editor/GraphScene.h"
#include "widgets/HistogramPanel.h"

#include <QAction>
#include <QDockWidget>

namespace netdraft::app {

HistogramPresenter::HistogramPresenter(
    TrainingController& training, editor::GraphScene& scene, std::function<QString(int)> runFolder, QObject* parent)
    : QObject(parent)
    , training_(training)
    , runFolder_(std::move(runFolder))
    , panel_(new widgets::HistogramPanel)
    , viewAction_(new QAction(tr("&Histograms"), this))
{
    viewAction_->setObjectName(QStringLiteral("viewHistograms"));
    viewAction_->setShortcut(QKeySequence(tr("Ctrl+Shift+H")));
    viewAction_->setStatusTip(
        tr("Each block's activation and gradient distribution over a run, and its gradient norm"));
    connect(viewAction_, &QAction::triggered, this, [this] {
        if (!dock_)
            return;
        dock_->show();
        dock_->raise();
    });
    // A new run (not a resumed pause) starts from an empty panel.
    connect(&training, &TrainingController::stateChanged, this, [this](TrainingController::State state) {
        if (state == TrainingController::State::Running && lastState_ == TrainingController::State::Idle)
            panel_->clear(tr("Waiting for the run's first recorded batch. Runs record per-block statistics when "
                             "\"Statistics every\" in the Training settings is above 0."));
        lastState_ = state;
    });
    connect(&training, &TrainingController::statisticsRecorded, panel_, &widgets::HistogramPanel::addRecord);
    connect(&scene, &editor::GraphScene::selectedBlocksChanged, panel_, &widgets::HistogramPanel::showCanvasSelection);
}

void HistogramPresenter::showRun(int number)
{
    if (training_.isActive())
        return;
    panel_->loadRunFolder(runFolder_(number));
}

} // namespace netdraft::app
