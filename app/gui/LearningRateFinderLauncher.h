#pragma once
// Train ▸ Find Learning Rate…: opens the finder dialog on a snapshot of the open project and applies the
// rate it suggests as one undoable setting change.

class QWidget;

namespace netdraft::widgets {
class LearningRateFinderDialog;
}

namespace netdraft::app {

class ProjectSession;

/// Shows a new finder dialog (deleted when closed) and starts its sweep. Apply sets the project's
/// learning rate through editor::commands::SetSetting, one undo step of its own (never merged with a
/// rate typed before).
widgets::LearningRateFinderDialog* showLearningRateFinder(QWidget* parent, ProjectSession& session);

} // namespace netdraft::app
