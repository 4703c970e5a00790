#pragma once
// View ▸ Block Output… and the canvas's "View Output…": opens the viewer on a block with the newest
// run of the design on the canvas that kept its weights, or with the design's starting weights.

#include "engine/project/Project.h"

#include <QString>

#include <functional>
#include <optional>

class QWidget;

namespace netdraft::widgets {
class BlockViewerWindow;
}

namespace netdraft::app {

class RunHistory;

/// Shows a new viewer window (deleted when closed) on block `blockId` of `current` (the first block when
/// empty; for a composite instance, the inner block behind its first output port). `runDesign` gives
/// the design run N trained, when kept; only a run of the same graph as `current` lends its weights, so
/// that the block is there with the shapes the canvas shows.
widgets::BlockViewerWindow* showBlockViewer(QWidget* parent, const engine::Project& current, const QString& projectPath,
    const RunHistory& runs, const std::function<std::optional<engine::Project>(int)>& runDesign,
    const QString& blockId);

} // namespace netdraft::app
